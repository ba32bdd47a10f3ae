import subprocess
import sys


def test_self_test_builds_the_demo_renders_six_statements_and_opens_the_window(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "trustfund_app", "--self-test"], capture_output=True,
                            text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    for lang in ("ar", "zh", "en", "fr", "ru", "es"):
        assert f"ok    statement in {lang}" in result.stdout
    assert "ok    main window" in result.stdout and "dashboard balance $" in result.stdout
