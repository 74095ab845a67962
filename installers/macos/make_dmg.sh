#!/usr/bin/env bash
# Build "Outsourcing Planner.app" with PyInstaller and pack it into a compressed .dmg (macOS only).
#
#   installers/macos/make_dmg.sh [PYTHON]   ->  dist/OutsourcingPlanner-<version>-<arch>.dmg
#
# PYTHON is an interpreter with the planner and PyInstaller installed (default: .venv/bin/python).
# The .app is built for the machine's architecture (arm64 on Apple silicon, x86_64 on Intel).
# Optional signing: set MACOS_SIGN_IDENTITY to a "Developer ID Application: ..." identity and
# the app and dmg are signed (hardened runtime); notarization is a separate step (notarytool).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${1:-$root/.venv/bin/python}"
cd "$root"

version=$("$python" -c 'import planner; print(planner.__version__)')
arch=$(uname -m)
work="$root/build/macos"
app_name="Outsourcing Planner.app"
dmg="$root/dist/OutsourcingPlanner-${version}-${arch}.dmg"

rm -rf "$work"
mkdir -p "$work" "$root/dist"
"$python" -m PyInstaller "$root/installers/planner.spec" --noconfirm --log-level WARN \
    --distpath "$work/frozen" --workpath "$work/pyinstaller"
app="$work/frozen/$app_name"
"$app/Contents/MacOS/planner" --version

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$app"
    codesign --verify --strict --verbose=2 "$app"
fi

# The window Finder shows: the app beside a link to /Applications, to drag it across.
staging="$work/dmg"
mkdir -p "$staging"
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
# hdiutil now and then fails with "Resource busy" on build machines (Spotlight indexing the
# staging folder); a retry a few seconds later succeeds.
for attempt in 1 2 3; do
    if hdiutil create -volname "Outsourcing Planner $version" -srcfolder "$staging" \
        -fs HFS+ -format UDZO -imagekey zlib-level=9 -ov "$dmg"; then
        break
    fi
    [ "$attempt" -lt 3 ] || exit 1
    sleep 5
done
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
fi
hdiutil verify "$dmg"
echo "Built $dmg ($(du -h "$dmg" | cut -f1))"
