@echo off
rem wfkit for learners: double-click to open JupyterLab in the wfkit folder.
rem Uses the .venv made by the set-up page (training\setup\windows.md), or else the
rem "wfkit" conda environment. Close this window to stop JupyterLab.
setlocal
cd /d "%~dp0..\.."
if not exist "training\check_install.py" (
  echo This launcher must stay in training\windows\ inside the wfkit folder.
  pause
  exit /b 1
)
if exist ".venv\Scripts\python.exe" (
  ".venv\Scripts\python.exe" -m jupyter lab
  goto :done
)
where conda >nul 2>nul
if %errorlevel%==0 (
  call conda activate wfkit && python -m jupyter lab
  goto :done
)
echo No .venv folder and no conda here: follow training\setup\windows.md first.
:done
pause
