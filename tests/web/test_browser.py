"""End to end in real headless Chromium: `wordvec serve` as a subprocess, a word typed into the
search box, its neighbours listed on the page; labels on first load, an analogy answer outside the
projected words placed and labelled; an offline HTML plot's labels not overlapping. Screenshots
(1400 x 900) land in test-artifacts/.

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


RARE_ANSWER = "w250"
OVERLAPS_JS = """
const rects = Array.from(document.querySelectorAll(arguments[0])).filter((t) => t.textContent)
  .map((t) => t.getBoundingClientRect());
let overlaps = 0;
for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
  const a = rects[i], b = rects[j];
  if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
}
return [rects.length, overlaps];
"""
LABELS_JS = "return Array.from(document.querySelectorAll('#plot .textpoint text')).map((t) => t.textContent)"


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
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    # a rare word (rank 257) is the answer to man : king :: woman : ?, far outside a 50-word projection
    vectors[keys.index(RARE_ANSWER)] = unit[0] - unit[2] + unit[3] + 0.02 * rng.normal(size=16)
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
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    # the page itself 1400 x 900, whatever the headless window's frame takes
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False})
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


def test_first_load_shows_labels_an_intro_and_a_readable_placeholder(server, browser, model):
    kv = model[1]
    browser.get(server)
    wait = WebDriverWait(browser, 60)
    wait.until(EC.text_to_be_present_in_element((By.ID, "summary"), "labelled"))
    wait.until(lambda d: int(d.find_element(By.ID, "plot").get_attribute("data-labels") or 0) > 0)
    labels = browser.execute_script(LABELS_JS)
    # The most frequent words are labelled before anything is typed, and no two labels overlap.
    assert len(labels) >= 20, labels
    assert kv.index_to_key[0] in labels and kv.index_to_key[1] in labels
    assert set(labels) <= set(kv.index_to_key[:len(kv)])
    count, overlaps = browser.execute_script(OVERLAPS_JS, "#plot .textpoint text")
    assert count == len(labels) and overlaps == 0
    assert browser.find_element(By.ID, "plot").get_attribute("data-labels") == str(len(labels))
    # A line says what the page is and what to type.
    intro = browser.find_element(By.ID, "intro")
    assert intro.is_displayed() and "Search" in intro.text and "Analogy" in intro.text
    # Every placeholder fits its box (the search box used to show "a word, then Ente").
    for field in ("search", "analogy-a", "analogy-b", "analogy-c"):
        room, needed = browser.execute_script("""
            const el = document.getElementById(arguments[0]), st = getComputedStyle(el);
            const ctx = document.createElement("canvas").getContext("2d");
            ctx.font = `${st.fontSize} ${st.fontFamily}`;
            return [el.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight),
                    ctx.measureText(el.placeholder).width];""", field)
        assert needed <= room, f"the placeholder of #{field} is cut off: needs {needed:.0f} px, has {room:.0f}"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "web_projector_first_load.png"))


def test_analogy_answer_outside_the_projection_is_placed_and_labelled(server, browser, model):
    kv = model[1]
    assert kv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0][0] == RARE_ANSWER
    assert kv.get_index(RARE_ANSWER) >= 50
    browser.get(server)
    wait = WebDriverWait(browser, 60)
    wait.until(EC.text_to_be_present_in_element((By.ID, "summary"), "labelled"))
    limit = browser.find_element(By.ID, "limit")
    limit.clear()
    limit.send_keys("50")
    browser.find_element(By.CSS_SELECTOR, "#projection-form button").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "summary"), "showing the 50 most frequent"))
    assert RARE_ANSWER not in browser.execute_script(LABELS_JS)
    for field, word in (("analogy-a", "man"), ("analogy-b", "king"), ("analogy-c", "woman")):
        browser.find_element(By.ID, field).send_keys(word)
    browser.find_element(By.CSS_SELECTOR, "#analogy-form button").click()
    wait.until(lambda d: RARE_ANSWER in d.execute_script(LABELS_JS))
    first = browser.find_element(By.CSS_SELECTOR, "#analogy-results li").get_attribute("data-word")
    assert first == RARE_ANSWER
    note = browser.find_element(By.ID, "analogy-note").text
    assert f"“{RARE_ANSWER}”" in note and "not among the 50 projected words" in note and "same PCA" in note
    # it sits where the server's PCA puts it, drawn as the query (red), labelled in red
    placed = browser.execute_script("""
        const gd = document.getElementById('plot');
        const t = gd.data[gd.data.length - 1], i = t.text.indexOf(arguments[0]);
        return [t.x[i], t.y[i], t.customdata[i]];""", RARE_ANSWER)
    from fastapi.testclient import TestClient

    from wordvec.web.server import create_app

    expected = TestClient(create_app(kv), base_url="http://127.0.0.1").get(
        "/api/locate", params={"word": RARE_ANSWER, "limit": 50}).json()["points"][0]
    assert expected["placement"] == "pca" and placed[2] == "focus"
    np.testing.assert_allclose(placed[:2], expected["coords"], atol=1e-9)
    count, overlaps = browser.execute_script(OVERLAPS_JS, "#plot .textpoint text")
    assert overlaps == 0, f"{overlaps} of {count} labels overlap"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "web_projector_analogy_outside.png"))


def test_html_plot_of_300_words_has_no_overlapping_labels(browser, tmp_path):
    import collections
    import lzma
    import re

    from wordvec.demo import demo_corpus_path
    from wordvec.viz.interactive import plot_html

    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as f:
        counts = collections.Counter(re.findall(r"[a-z]+(?:'[a-z]+)?", f.read(400_000).lower())).most_common(300)
    rng = np.random.default_rng(4)
    vectors = rng.normal(scale=1.5, size=(6, 50))[rng.integers(0, 6, 300)] + rng.normal(size=(300, 50))
    kv = KeyedVectors([w for w, _ in counts], vectors.astype(np.float32), counts=np.array([c for _, c in counts]))
    path = tmp_path / "p300.html"
    fig = plot_html(kv, top=300, clusters=12, path=path)
    labelled = sum(1 for t in fig.data for w in t.text if w)
    browser.get(path.as_uri())
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .textpoint text"))
    count, overlaps = browser.execute_script(OVERLAPS_JS, ".js-plotly-plot .textpoint text")
    assert count == labelled and overlaps == 0, f"{overlaps} of {count} labels overlap"
    assert labelled >= 120
    subtitle = browser.find_element(By.CSS_SELECTOR, ".gtitle").text
    assert f"{labelled} of 300 words labelled" in subtitle and "hover" in subtitle
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "plot_html_300_words.png"))
