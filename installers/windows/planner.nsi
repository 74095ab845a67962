; Windows installer for the frozen planner: per user, no administrator rights needed.
;
;   makensis /DVERSION=0.1.0 /DSOURCE_DIR=..\..\dist\planner installers\windows\planner.nsi
;
; SOURCE_DIR is PyInstaller's one-folder output (planner.exe, plannerw.exe, _internal\).
; Installs to %LOCALAPPDATA%\Programs\Outsourcing Planner, adds a Start-menu shortcut, an entry
; in Settings > Apps with an uninstaller, and "Open with" for .xlsx and .csv, all under HKCU.
; The planner's data (%APPDATA%\OutsourcingPlanner) is never touched, not even by the uninstaller.
; Silent: setup.exe /S [/D=C:\path] and uninstall.exe /S.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef VI_VERSION  ; the four-number form Windows' version resource insists on
  !define VI_VERSION "${VERSION}.0"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "..\..\dist\planner"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\OutsourcingPlanner-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "..\..\resources\icons\planner.ico"
!endif

!define APP_NAME "Outsourcing Relationship Planner"
!define APP_ID "io.github.orplanner.Planner"  ; planner.APP_ID
!define PUBLISHER "Outsourcing Relationship Planner team"
!define GUI_EXE "plannerw.exe"  ; windowed twin of planner.exe: no console window
!define PROG_ID "${APP_ID}.Spreadsheet"
!define APP_KEY "Software\Classes\Applications\${GUI_EXE}"
!define PROG_ID_KEY "Software\Classes\${PROG_ID}"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SHORTCUT "$SMPROGRAMS\${APP_NAME}.lnk"

!include "MUI2.nsh"
!include "FileFunc.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Outsourcing Planner"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VI_VERSION}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP_NAME} setup"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the bundle wholesale: files a newer build dropped must not linger.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "${SHORTCUT}" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0

  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1

  ; "Open with": the application key lists the planner for these types; the ProgID named in
  ; each extension's OpenWithProgids adds it to that type's list without taking the default
  ; away from Excel. The shell passes the file as the only argument.
  WriteRegStr HKCU "${APP_KEY}" "FriendlyAppName" "${APP_NAME}"
  WriteRegStr HKCU "${APP_KEY}\SupportedTypes" ".xlsx" ""
  WriteRegStr HKCU "${APP_KEY}\SupportedTypes" ".csv" ""
  WriteRegStr HKCU "${APP_KEY}\DefaultIcon" "" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${APP_KEY}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  WriteRegStr HKCU "${PROG_ID_KEY}" "" "Supplier list for ${APP_NAME}"
  WriteRegStr HKCU "${PROG_ID_KEY}\DefaultIcon" "" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${PROG_ID_KEY}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  WriteRegStr HKCU "Software\Classes\.xlsx\OpenWithProgids" "${PROG_ID}" ""
  WriteRegStr HKCU "Software\Classes\.csv\OpenWithProgids" "${PROG_ID}" ""
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "${SHORTCUT}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
  DeleteRegKey HKCU "${PROG_ID_KEY}"
  DeleteRegValue HKCU "Software\Classes\.xlsx\OpenWithProgids" "${PROG_ID}"
  DeleteRegValue HKCU "Software\Classes\.csv\OpenWithProgids" "${PROG_ID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\.xlsx\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "Software\Classes\.csv\OpenWithProgids"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; Only what the installer put there: the folder may have been chosen by hand.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\planner.exe"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
