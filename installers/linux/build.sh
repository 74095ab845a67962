#!/usr/bin/env bash
# Build the Linux package in one command: the frozen app (PyInstaller), then a .deb in dist/.
#
#   installers/linux/build.sh        ->  dist/outsourcing-planner_<version>_<arch>.deb
#
# Uses the checkout's .venv (created by scripts/ensure-venv.sh) and installs PyInstaller into it.
# Needs python3 (3.11+), dpkg-deb, objdump and strip (binutils, which PyInstaller needs too);
# desktop-file-validate and appstreamcli check the desktop entry and metainfo when installed.
# Intermediate files go to build/linux/ (ignored by git); nothing else in the checkout changes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/installers/linux"
cd "$root"
started=$(date +%s)

"$root/scripts/ensure-venv.sh"
python="$root/.venv/bin/python"
"$python" -m pip install --quiet --disable-pip-version-check "pyinstaller>=6.10"

version=$("$python" -c 'import planner; print(planner.__version__)')
app_id=$("$python" -c 'import planner; print(planner.APP_ID)')
arch=$(dpkg --print-architecture)
package=outsourcing-planner
work="$root/build/linux"
frozen="$work/frozen/planner"
stage="$work/deb/${package}_${version}_${arch}"
deb="$root/dist/${package}_${version}_${arch}.deb"

# The metainfo's newest release must be this version, or software centres show a stale one.
grep -q "<release version=\"$version\"" "$here/$app_id.metainfo.xml" || {
    echo "build.sh: add <release version=\"$version\" ...> to $app_id.metainfo.xml" >&2
    exit 1
}

echo "== Freezing planner $version with PyInstaller"
rm -rf "$work"
mkdir -p "$work" "$root/dist"
"$python" -m PyInstaller "$root/installers/planner.spec" --noconfirm --log-level WARN \
    --distpath "$work/frozen" --workpath "$work/pyinstaller"
frozen_at=$(date +%s)

echo "== Assembling the package tree"
install -d "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/metainfo" "$stage/usr/share/doc/$package"
cp -a "$frozen" "$stage/opt/$package"
# Symbols are of no use to users: stripping the libraries takes ~20% off the installed size
# (libpython alone 23 -> 6 MB). Not the executable: PyInstaller keeps its archive in an ELF
# section of it. Libraries need no execute bit.
find "$stage/opt/$package" -type f -name '*.so*' -exec strip --strip-unneeded {} + \
    -exec chmod 0644 {} +
# What is checked is what gets installed.
"$python" "$root/installers/check_frozen.py" "$stage/opt/$package/planner" --version "$version"
ln -s "/opt/$package/planner" "$stage/usr/bin/planner"
install -m 0644 "$here/$app_id.desktop" "$stage/usr/share/applications/$app_id.desktop"
install -m 0644 "$here/$app_id.metainfo.xml" "$stage/usr/share/metainfo/$app_id.metainfo.xml"
for size in 16 24 32 48 64 128 256 512; do
    install -D -m 0644 "$root/resources/icons/planner-$size.png" \
        "$stage/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
install -D -m 0644 "$root/resources/icons/planner.svg" \
    "$stage/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
cat > "$stage/usr/share/doc/$package/copyright" <<TEXT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Outsourcing Relationship Planner
Comment: /opt/$package bundles Python, Qt (PySide6, LGPLv3), SQLAlchemy, Alembic, openpyxl,
 pycountry and python-calamine with their own licences; see the .dist-info folders inside.

Files: *
Copyright: $(date +%Y) Outsourcing Relationship Planner team
License: proprietary
TEXT
printf '%s (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
    "$package" "$version" "$version" "$(sed -n 's/^Maintainer: //p' "$here/control.in")" \
    "$(date -R)" | gzip -9n > "$stage/usr/share/doc/$package/changelog.gz"
chmod -R u+rwX,go+rX,go-w "$stage"

if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$stage/usr/share/applications/$app_id.desktop"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$stage/usr/share/metainfo/$app_id.metainfo.xml"
fi

# The oldest C library the bundle runs on: the newest GLIBC_ symbol version any of its files uses.
glibc=$(find "$stage/opt/$package" -type f \( -name '*.so*' -o -name planner \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' \
    | sort -uV | tail -1)
installed_kib=$(du -sk "$stage" | cut -f1)
# control.in's Depends is what the bundle takes from the system: `ldd` over the frozen folder
# finds GL/EGL, xcb-icccm/keysyms and Wayland outside it. The other xcb and xkb libraries are
# listed too, because PyInstaller bundles them only when the build machine happens to have them.
install -d "$stage/DEBIAN"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_kib/" \
    -e "s/@GLIBC@/$glibc/" "$here/control.in" > "$stage/DEBIAN/control"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z \
    | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

echo "== Building $(basename "$deb")"
# xz (level 6) is dpkg's default and what every dpkg reads; DEB_COMPRESSION=zstd packs in under
# a second instead of ~60 s of CPU, 30% bigger, for quick local builds (dpkg >= 1.21.18).
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$stage" "$deb" >/dev/null
finished=$(date +%s)
dpkg-deb --info "$deb" | sed -n '/Package:/,/Depends:/p'
printf '\nBuilt %s\n  package %s MiB, installed %s MiB\n  freeze %ss, total %ss\n' \
    "$deb" "$(( $(stat -c %s "$deb") / 1048576 ))" "$(( installed_kib / 1024 ))" \
    "$(( frozen_at - started ))" "$(( finished - started ))"
