; The fpdesk installer: a per-user install that needs no administrator (village laptops rarely have the
; password), Start-menu and desktop shortcuts, and an uninstaller that leaves the data folder alone.
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DBUNDLE=dist/windows/fpdesk -DOUTFILE=dist/x-setup.exe installer.nsi
;
; Program files go to %LOCALAPPDATA%\Programs\fpdesk; the office's database and backups live in
; %LOCALAPPDATA%\fpdesk (the program's user data folder), which the uninstaller never touches.

Unicode true
; a 64-bit installer for a 64-bit program (it also runs where wine has no 32-bit half, as in CI)
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"
!include "WinVer.nsh"
!include "LogicLib.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef BUNDLE
  !error "pass -DBUNDLE=<folder holding fpdesk.exe>"
!endif
!ifndef OUTFILE
  !define OUTFILE "fpdesk-windows-x64-setup.exe"
!endif

!define APP "fpdesk"
!define APP_ZH "计生家庭保险登记"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\fpdesk"

Name "${APP_ZH} fpdesk ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\fpdesk"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_ZH} fpdesk"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_ZH} fpdesk 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "Apache-2.0"

!define MUI_ICON "..\..\resources\icons\fpdesk.ico"
!define MUI_UNICON "..\..\resources\icons\fpdesk.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\fpdesk-gui.exe"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

; The same versions fpdesk/core/windows_support.py serves: Windows 10 1809 (build 17763) or later. (A
; 32-bit Windows cannot start a 64-bit installer at all; it says so itself.)
Function .onInit
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 17763
    MessageBox MB_ICONSTOP "fpdesk 需要 64 位 Windows 10（1809 版或更新）或 Windows 11。$\r$\nfpdesk needs 64-bit Windows 10 (version 1809 or later) or Windows 11." /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

Section "fpdesk"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; an older version's files go first, so that a library the new bundle no longer ships cannot linger
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\fpdesk"
  CreateShortcut "$SMPROGRAMS\fpdesk\${APP_ZH}.lnk" "$INSTDIR\fpdesk-gui.exe" "" "$INSTDIR\fpdesk-gui.exe" 0
  CreateShortcut "$SMPROGRAMS\fpdesk\卸载 fpdesk.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_ZH}.lnk" "$INSTDIR\fpdesk-gui.exe" "" "$INSTDIR\fpdesk-gui.exe" 0
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_ZH} fpdesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "fpdesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\fpdesk-gui.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

; Only the program's own files go: the database, its backups and keys in %LOCALAPPDATA%\fpdesk (or
; wherever the office put them) stay, so reinstalling finds the office as it was.
Section "Uninstall"
  SetShellVarContext current
  Delete "$DESKTOP\${APP_ZH}.lnk"
  RMDir /r "$SMPROGRAMS\fpdesk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\fpdesk.exe"
  Delete "$INSTDIR\fpdesk-gui.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
