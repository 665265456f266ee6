@echo off
rem wfkit scenario explorer for Windows: double-click to start it in your browser.
rem Close this window to stop it. It uses the wfkit installed beside this file
rem (.venv\Scripts\wfkit.exe), else the wfkit on the PATH.
setlocal
set "HERE=%~dp0"
set "WFKIT=wfkit"
if exist "%HERE%.venv\Scripts\wfkit.exe" set "WFKIT=%HERE%.venv\Scripts\wfkit.exe"
if exist "%HERE%..\..\.venv\Scripts\wfkit.exe" set "WFKIT=%HERE%..\..\.venv\Scripts\wfkit.exe"
"%WFKIT%" app --open %*
if errorlevel 1 (
  echo.
  echo The explorer did not start: see the message above.
  pause
)
