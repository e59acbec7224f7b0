"""The Windows bundle does the day's work under wine, as a Chinese Windows runs it (code page 936, China
time, folders with Chinese names and spaces): the demo, search, a household registered from a filled-in
roster template and enrolled with its premium, receipts and certificates printed and read back (their QR
code verified), a roster exported and imported again, a package between a county and a township in both
directions, a backup and its restore, an encrypted database and log-ins, the main window offscreen and
on a 1366×768 screen (screenshot kept beside the bundle), a Windows the program does not serve, and the
installer's install and uninstall. Run by `.ci/run` after `bash build/windows/build.sh`."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

# A Guangxi village (Jingxi, S4): its care product sells all year, September to August, so the smoke test
# enrolls today whatever the date of the run; from September a sale belongs to the next year.
TODAY = dt.date.today()
YEAR = str(TODAY.year + 1 if TODAY.month >= 9 else TODAY.year)
PRODUCT, PREMIUM = "gx_care_quanjiafu", "30"
VILLAGE_CODE, TOWNSHIP_CODE, COUNTY_CODE = "451081100201", "350421200", "350421"
HEAD_ID, SPOUSE_ID, SON_ID = "451081198001010016", "451081198203050024", "451081201005060015"
PASSWORD = "Secret-123456"


def _ok(ran):
    assert ran.returncode == 0, ran.explain()
    assert "Traceback" not in ran.errors, ran.explain()
    return ran


@pytest.fixture(scope="module")
def village(windows):
    """A village office in C:\\计生 办\\旧州村 数据.sqlite3 with one household registered from a roster as
    villages keep them: a title row above the header, a 序号 column, ID numbers as text."""
    database = windows.work / "旧州村 数据.sqlite3"
    for leftover in windows.work.glob("旧州村 数据*"):
        leftover.unlink()
    db = windows.windows_path(database)
    _ok(windows.run("init", "--db", db, "--office-code", VILLAGE_CODE, "--office-level", "village",
                    "--office-name", "旧州村计生协"))
    book = Workbook()
    sheet = book.active
    sheet.append([f"旧州村{YEAR}年计生家庭登记表"])
    sheet.append(["序号", "乡镇", "村", "户主姓名", "户主身份证号", "姓名", "身份证号码", "与户主关系", "联系电话",
                  "家庭类别"])
    people = [("农国华", HEAD_ID, "户主"), ("黄秀英", SPOUSE_ID, "妻子"), ("农晓明", SON_ID, "儿子")]
    for number, (name, id_number, relation) in enumerate(people, start=1):
        sheet.append([number, "新靖镇", "旧州村", "农国华", HEAD_ID, name, id_number, relation, "13812345678",
                      "其他计生家庭"])
    for row in sheet.iter_rows(min_row=3):
        for cell in (row[4], row[6]):
            cell.number_format = "@"
    roster = windows.work / "旧州村 登记表.xlsx"
    book.save(roster)
    imported = _ok(windows.run("roster", "import", windows.windows_path(roster), "--db", db, "--json")).json()
    assert imported["new"] == 3 and imported["rejected"] == [], imported
    return database


def test_version_and_help_on_a_gbk_console(windows):
    version = _ok(windows.run("--version"))
    assert version.text.strip() == f"fpdesk {windows.build['version']}"
    assert "计生家庭保险登记" in _ok(windows.run("--help")).text


def test_demo_stats_search_and_products_in_a_chinese_folder(windows):
    database = windows.work / "演示 县.sqlite3"
    database.unlink(missing_ok=True)
    db = windows.windows_path(database)
    demo = _ok(windows.run("demo", "--scale", "village", "--db", db, "--json")).json()
    assert demo["persons"] >= 500 and demo["database"] == db  # shown as written, not percent-encoded
    assert sum(t["persons"] for t in _ok(windows.run("stats", "--db", db, "--json")).json()["townships"]) >= 500
    found = _ok(windows.run("search", "张", "--db", db, "--json")).json()
    assert found["results"] and all("*" in r["id_number"] for r in found["results"])
    listed = _ok(windows.run("products", "list", "--db", db))
    assert "￥100.00" in listed.text  # ¥ has no GBK code: the console gets the full-width sign
    products = _ok(windows.run("products", "list", "--db", db, "--json")).json()["products"]
    assert any(p["code"] == "fp_family_accident_100" for p in products)
    template = windows.work / "打印 输出" / "导入 模板.xlsx"
    _ok(windows.run("roster", "template", "--product", "fp_family_accident_100", "--out",
                    windows.windows_path(template)))
    assert "身份证号码" in [cell.value for row in load_workbook(template).active.iter_rows(max_row=5) for cell in row]


def test_register_enroll_pay_and_print(windows, village):
    db = windows.windows_path(village)
    enrolled = _ok(windows.run("enroll", "--db", db, "--head-id", HEAD_ID, "--product", PRODUCT, "--year", YEAR,
                               "--consent-by", "农国华", "--field", "beneficiary_type=法定", "--pay", PREMIUM,
                               "--json")).json()
    assert enrolled["ok"] is True and len(enrolled["enrollment"]["insured"]) == 3, enrolled
    out = windows.work / "打印 输出"
    receipts, certificates = out / "收据.pdf", out / "参保凭证.pdf"
    _ok(windows.run("print", "receipts", "--year", YEAR, "--out", windows.windows_path(receipts), "--db", db))
    _ok(windows.run("print", "certificates", "--year", YEAR, "--out", windows.windows_path(certificates),
                    "--db", db))
    receipt_text = subprocess.run(["pdftotext", str(receipts), "-"], capture_output=True, text=True).stdout
    assert "农国华" in receipt_text and "叁拾元整" in receipt_text
    certificate_text = subprocess.run(["pdftotext", str(certificates), "-"], capture_output=True, text=True).stdout
    assert "农晓明" in certificate_text and "451081********0015" in certificate_text
    fonts = subprocess.run(["pdffonts", str(certificates)], capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts or "wqy" in fonts.lower(), fonts
    page = out / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(certificates), str(page)], check=True)
    payload = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                              str(next(out.glob("page*.png")))], capture_output=True, text=True).stdout.strip()
    assert payload, "no QR code found on the certificate"
    verified = _ok(windows.run("verify", "--db", db, payload.splitlines()[0], "--json")).json()
    assert verified["genuine"] is True, verified


def test_roster_export_and_import_again(windows, village):
    db = windows.windows_path(village)
    exported = windows.work / "打印 输出" / "花名册 全.xlsx"
    _ok(windows.run("roster", "export", "--year", YEAR, "--for", "full", "--full-id-numbers", "--out",
                    windows.windows_path(exported), "--db", db))
    sheet = load_workbook(exported).active
    assert any(HEAD_ID in str(cell.value) for row in sheet.iter_rows() for cell in row)
    again = _ok(windows.run("roster", "import", windows.windows_path(exported), "--year", YEAR, "--dry-run",
                            "--db", db, "--json")).json()
    assert again["rejected"] == [], again


def test_a_package_from_the_township_to_the_county_and_back(windows):
    county, township = windows.work / "明溪县.sqlite3", windows.work / "城关乡.sqlite3"
    for leftover in [*windows.work.glob("明溪县*"), *windows.work.glob("城关乡*")]:
        leftover.unlink()
    usb = windows.work / "U盘"
    usb.mkdir(exist_ok=True)
    for old in usb.glob("*"):
        old.unlink()
    invite = usb / "城关乡 邀请.invite"
    _ok(windows.run("init", "--db", windows.windows_path(county), "--office-code", COUNTY_CODE,
                    "--office-level", "county", "--office-name", "明溪县计生协"))
    added = _ok(windows.run("office", "add", "--db", windows.windows_path(county), "--code", TOWNSHIP_CODE,
                            "--level", "township", "--name", "城关乡计生协", "--out", windows.windows_path(invite),
                            "--json")).json()
    _ok(windows.run("init", "--db", windows.windows_path(township), "--invite", windows.windows_path(invite),
                    "--pairing-code", added["pairing_code"]))
    up = _ok(windows.run("sync", "export", "--db", windows.windows_path(township), "--to", COUNTY_CODE, "--out",
                         windows.windows_path(usb), "--json")).json()
    package = windows.windows_path(usb / up["package"])
    dry = _ok(windows.run("sync", "import", package, "--dry-run", "--db", windows.windows_path(county),
                          "--json")).json()
    applied = _ok(windows.run("sync", "import", package, "--db", windows.windows_path(county), "--json")).json()
    assert applied == dry and applied["from"] == TOWNSHIP_CODE and applied["new"] > 0
    down = _ok(windows.run("sync", "export", "--db", windows.windows_path(county), "--to", TOWNSHIP_CODE, "--out",
                           windows.windows_path(usb), "--json")).json()
    back = _ok(windows.run("sync", "import", windows.windows_path(usb / down["package"]), "--db",
                           windows.windows_path(township), "--json")).json()
    assert back["from"] == COUNTY_CODE


def test_backup_restore_then_encrypt_and_log_in(windows, village):
    db = windows.windows_path(village)
    backup = windows.work / "备份 文件夹" / "罗翠村 备份.sqlite3"
    backup.unlink(missing_ok=True)
    made = _ok(windows.run("backup", "--out", windows.windows_path(backup), "--db", db, "--json")).json()
    assert made["ok"] is True and backup.is_file()
    restored = _ok(windows.run("restore", windows.windows_path(backup), "--db", db, "--json")).json()
    assert restored["ok"] is True
    _ok(windows.run("user", "add", "admin", "--role", "admin", "--db", db, env={"FPDESK_NEW_PASSWORD": PASSWORD}))
    login = {"FPDESK_USER": "admin", "FPDESK_PASSWORD": PASSWORD}
    encrypted = _ok(windows.run("user", "encrypt", "--db", db, "--json", env=login)).json()
    assert encrypted["ok"] is True and not list(village.parent.glob("*.partial"))
    assert not village.read_bytes()[:16].startswith(b"SQLite format 3")
    assert _ok(windows.run("stats", "--db", db, "--json", env=login)).json()["townships"]
    wrong = windows.run("stats", "--db", db, "--json", env={"FPDESK_USER": "admin", "FPDESK_PASSWORD": "nope"})
    assert wrong.returncode == 1 and wrong.json()["error"]["code"] in ("login_failed", "unlock_failed")
    # standard input from NUL (a scheduled task): a character device that is no console. A batch file in
    # the ANSI code page says it, as a clerk's .cmd would; the command line cannot quote it for cmd /c.
    program = windows.windows_path(windows.bundle / "fpdesk.exe")
    batch = windows.drive_c / "fpdesk-nul.cmd"
    batch.write_bytes(f'@"{program}" stats --db "{db}" --json < NUL\r\n'.encode("gbk"))
    nul = windows.wine("cmd", "/c", "C:\\fpdesk-nul.cmd")
    assert nul.returncode == 1 and b"login_required" in nul.stdout and b"Traceback" not in nul.stderr, nul.explain()


def test_the_main_window_starts(windows):
    database = windows.work / "窗口 测试.sqlite3"
    database.unlink(missing_ok=True)
    started = _ok(windows.run("--db", windows.windows_path(database),
                              env={"QT_QPA_PLATFORM": "offscreen", "FPDESK_SMOKE_TEST": "1"}))
    assert re.search(r"main window up in \d+\.\d+ s", started.stdout.decode("gbk")), started.explain()


def test_the_main_window_paints_a_village_before_its_database_layer_loads(windows):
    """A database with an office and people takes the early start (gui/first_paint.py: the first
    screenful read with sqlite3 alone, read-only, before SQLAlchemy loads) and then opens as usual:
    the bundle must hold what that path imports late."""
    database = windows.work / "首屏 村.sqlite3"
    for leftover in windows.work.glob("首屏 村*"):
        leftover.unlink()
    db = windows.windows_path(database)
    _ok(windows.run("demo", "--scale", "village", "--db", db, "--json"))
    started = _ok(windows.run("--db", db, env={"QT_QPA_PLATFORM": "offscreen", "FPDESK_SMOKE_TEST": "1"}))
    said = started.stdout.decode("gbk")
    assert re.search(r"first screenful painted in \d+\.\d+ s", said), started.explain()
    assert re.search(r"database opened in \d+\.\d+ s", said), started.explain()


def test_the_main_window_on_a_laptop_screen(windows, shots):
    """fpdesk-gui.exe --demo on a 1366×768 X screen (Qt's Windows platform plugin under wine)."""
    display = _start_xvfb()
    env = {**windows.env, "DISPLAY": display}
    gui = subprocess.Popen(["wine", windows.windows_path(windows.bundle / "fpdesk-gui.exe"), "--demo"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                           cwd=windows.work)
    shot = shots / "main-window-wine-1366x768.png"
    try:
        window = _wait_for_window(env, "fpdesk", seconds=90)
        assert window, "the main window did not appear within 90 s"
        time.sleep(6)  # let the first screen fill in
        subprocess.run(["import", "-window", "root", str(shot)], env=env, check=True)
    finally:
        gui.kill()
        gui.communicate(timeout=60)
        subprocess.run(["wineserver", "-k"], env=windows.env, check=False)
        _stop_xvfb()
    colours = subprocess.run(["identify", "-format", "%k", str(shot)], capture_output=True, text=True).stdout
    assert int(colours) > 50, f"the screenshot looks empty ({colours} colours): {shot}"


_XVFB: list[subprocess.Popen] = []


def _start_xvfb() -> str:
    for number in range(91, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    process = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _XVFB.append(process)
    for _ in range(50):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            break
        time.sleep(0.1)
    return f":{number}"


def _stop_xvfb() -> None:
    while _XVFB:
        process = _XVFB.pop()
        process.terminate()
        process.wait(timeout=10)


def _wait_for_window(env: dict[str, str], name: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True,
                               text=True, env=env).stdout.split()
        if found:
            return found[0]
        time.sleep(1)
    return ""


def test_a_windows_the_program_does_not_serve_is_told_so(windows):
    """Wine set to Windows 8.1: the window refuses in a sentence, the command line warns and works."""
    key = r"HKCU\Software\Wine"
    _ok(windows.wine("reg", "add", key, "/v", "Version", "/d", "win81", "/f"))
    try:
        window = windows.run("--db", "x.sqlite3", exe="fpdesk-gui.exe",
                             env={"QT_QPA_PLATFORM": "offscreen", "FPDESK_SMOKE_TEST": "1"})
        assert window.returncode == 1 and "Windows 10（1809 版或更新）" in window.errors, window.explain()
        cli = windows.run("--version")
        assert cli.returncode == 0 and "1809" in cli.errors, cli.explain()
    finally:
        windows.wine("reg", "add", key, "/v", "Version", "/d", "win10", "/f")  # as build.sh sets it
        subprocess.run(["wineserver", "-w"], env=windows.env, check=False, timeout=60)


def test_the_installer_installs_for_this_user_and_keeps_the_data(windows):
    setup = windows.build.get("installer")
    if not setup:
        pytest.skip("built with FPDESK_WIN_INSTALLER=0")
    local = windows.drive_c / "users" / _wine_user(windows) / "AppData" / "Local"
    installed = local / "Programs" / "fpdesk"
    data = local / "fpdesk" / "fpdesk-backups"  # where the office's database and backups live
    data.mkdir(parents=True, exist_ok=True)
    (data / "留存.txt").write_bytes(b"the office's data")
    _ok(windows.wine(windows.windows_path(Path(setup)), "/S", timeout=300))
    assert (installed / "fpdesk-gui.exe").is_file() and (installed / "uninstall.exe").is_file()
    shortcuts = list(windows.drive_c.rglob("计生家庭保险登记.lnk"))
    assert len(shortcuts) >= 2, shortcuts  # Start menu and desktop
    version = _ok(windows.wine(windows.windows_path(installed / "fpdesk.exe"), "--version"))
    assert windows.build["version"] in version.text
    _ok(windows.wine(windows.windows_path(installed / "uninstall.exe"), "/S", timeout=300))
    for _ in range(60):  # the uninstaller copies itself to TEMP and finishes there
        if not (installed / "fpdesk.exe").exists():
            break
        time.sleep(1)
    assert not (installed / "fpdesk.exe").exists() and not (installed / "_internal").exists()
    assert (data / "留存.txt").read_bytes() == b"the office's data"


def _wine_user(windows) -> str:
    users = [p.name for p in (windows.drive_c / "users").iterdir() if p.name not in ("Public", "public")]
    assert users, "no wine user folder"
    return users[0]
