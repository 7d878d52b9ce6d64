"""End to end in real headless Chromium: `wordvec serve` as a subprocess, a word typed into the
search box, its neighbours listed on the page. A screenshot lands in test-artifacts/.

Needs the Debian packages chromium + chromium-driver and pip selenium; skips otherwise.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import wordvec

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
    pytest.skip(f"{CHROMIUM} or {CHROMEDRIVER} is absent (apt-get install chromium chromium-driver)",
                allow_module_level=True)
pytest.importorskip("selenium")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("plotly")
pytest.importorskip("sklearn")

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from wordvec.vectors.keyed import KeyedVectors


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"wordvec serve exited with {proc.returncode}: {proc.stderr.read().decode()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"wordvec serve did not listen on port {port} within {timeout} s")


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> tuple[Path, KeyedVectors]:
    rng = np.random.default_rng(11)
    keys = ["king", "queen", "man", "woman", "왕", "여왕"] + [f"w{i}" for i in range(300)]
    vectors = rng.normal(size=(len(keys), 16)).astype(np.float32)
    vectors[1] = vectors[0] + 0.1 * rng.normal(size=16)
    kv = KeyedVectors(keys, vectors, counts=np.arange(len(keys), 0, -1))
    path = tmp_path_factory.mktemp("served") / "vectors"
    wordvec.save(kv, path)
    return path, kv


@pytest.fixture(scope="module")
def server(model):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wordvec", "serve", str(model[0]), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_search_lists_neighbours(server, browser, model):
    kv = model[1]
    browser.get(server)
    wait = WebDriverWait(browser, 60)
    wait.until(EC.text_to_be_present_in_element((By.ID, "summary"), "showing"))
    assert browser.find_elements(By.CSS_SELECTOR, "#plot .main-svg"), "plotly did not draw the projection"
    box = browser.find_element(By.ID, "search")
    box.send_keys("king", Keys.ENTER)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#neighbors li")) == 10)
    listed = [li.get_attribute("data-word") for li in browser.find_elements(By.CSS_SELECTOR, "#neighbors li")]
    assert listed == [w for w, _ in kv.most_similar("king", topn=10)]
    assert listed[0] == "queen"
    first = browser.find_element(By.CSS_SELECTOR, "#neighbors li .sim").text
    assert abs(float(first) - kv.similarity("king", "queen")) < 1e-3
    wait.until(EC.text_to_be_present_in_element((By.ID, "inspect"), "king"))
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "web_projector_search.png"))

    for field, word in (("analogy-a", "man"), ("analogy-b", "king"), ("analogy-c", "woman")):
        browser.find_element(By.ID, field).send_keys(word)
    browser.find_element(By.CSS_SELECTOR, "#analogy-form button").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#analogy-results li")) == 5)
    solved = [li.get_attribute("data-word") for li in browser.find_elements(By.CSS_SELECTOR, "#analogy-results li")]
    assert solved == [w for w, _ in kv.most_similar(positive=["king", "woman"], negative=["man"], topn=5)]

    # t-SNE, computed on the server, in 3-D
    Select(browser.find_element(By.ID, "method")).select_by_value("tsne")
    Select(browser.find_element(By.ID, "dims")).select_by_value("3")
    browser.find_element(By.CSS_SELECTOR, "#projection-form button").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "summary"), "(tsne, 3-D)"))
    browser.save_screenshot(str(ARTIFACTS / "web_projector_tsne3d.png"))

    box.clear()
    box.send_keys("kingg", Keys.ENTER)
    wait.until(EC.text_to_be_present_in_element((By.ID, "error"), "not in the vocabulary"))
    assert browser.find_elements(By.CSS_SELECTOR, "#neighbors li") == []
    logs = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "404" not in e["message"]]
    assert logs == [], logs


def test_offline_html_plot_renders(browser, model, tmp_path):
    from wordvec.viz.interactive import plot_html

    path = tmp_path / "plot.html"
    plot_html(model[1], words=["king", "queen", "man", "woman", "왕", "여왕"], dims=3, path=path)
    browser.get(path.as_uri())
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg"))
    assert browser.execute_script("return typeof Plotly") == "object"
    assert browser.execute_script("return document.querySelector('.js-plotly-plot').data[0].type") == "scatter3d"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "plot_html_3d.png"))


def test_korean_search_labels_and_fonts(server, browser, model):
    kv = model[1]
    browser.get(server)
    wait = WebDriverWait(browser, 60)
    wait.until(EC.text_to_be_present_in_element((By.ID, "summary"), "showing"))
    browser.find_element(By.ID, "search").send_keys("왕", Keys.ENTER)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#neighbors li")) == 10)
    listed = [li.get_attribute("data-word") for li in browser.find_elements(By.CSS_SELECTOR, "#neighbors li")]
    assert listed == [w for w, _ in kv.most_similar("왕", topn=10)]
    wait.until(EC.text_to_be_present_in_element((By.ID, "inspect"), "왕"))
    # The list and the plot's SVG text both use the page's font stack, Korean fonts included.
    family = browser.execute_script(
        "return getComputedStyle(document.querySelector('#neighbors li .word')).fontFamily")
    assert "Noto Sans CJK KR" in family and "NanumGothic" in family, family
    plot_family = browser.execute_script("return document.getElementById('plot').layout.font.family")
    assert "Noto Sans CJK KR" in plot_family, plot_family
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('#plot svg text')).map((t) => t.textContent)")
    assert "왕" in labels, labels  # the searched word is labelled in the 2-D plot
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "web_projector_korean.png"))
