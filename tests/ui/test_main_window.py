from planner.domain.cmo import CMO
from planner.services.cmos import CmoService
from planner.store.store import open_store
from planner.ui.pipeline_page import PipelinePage
from tests.ui.conftest import save_screenshot


def test_navigation_has_the_four_pages_and_shortcuts(qtbot, store, make_window) -> None:
    window = make_window(store)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Suppliers",
        "Engagements",
        "Pipeline",
        "Disclosures",
    ]
    window.nav.setCurrentRow(2)
    assert isinstance(window.stack.currentWidget(), PipelinePage)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]
    shortcuts = {
        a.shortcut().toString() for m in window.menuBar().actions() for a in m.menu().actions()
    }
    assert {"Ctrl+N", "Ctrl+Q", "Ctrl+F", "Ctrl+1", "Ctrl+2", "Ctrl+I", "Ctrl+Shift+I"} <= shortcuts


def test_load_demo_from_the_empty_state(qtbot, store, make_window) -> None:
    window = make_window(store)
    window.suppliers.empty.demo_button.click()
    qtbot.waitUntil(lambda: window.suppliers.model.rowCount() >= 40, timeout=30000)
    assert window.suppliers.stack.currentWidget() is window.suppliers.table
    qtbot.waitUntil(lambda: window.engagements.model.rowCount() >= 5, timeout=5000)


def test_data_geometry_and_page_survive_a_restart(qtbot, store_path, settings, make_window) -> None:
    with open_store(store_path) as store:
        window = make_window(store)
        CmoService(store).create(CMO(name="Persisted Pharma", country="IE", city="Cork"))
        window.bus.notify("cmos")
        window.resize(780, 560)  # the offscreen screen is 800x600
        size = (window.width(), window.height())
        window.nav.setCurrentRow(1)
        window.close()
    with open_store(store_path) as store:
        window = make_window(store)
        assert window.nav.currentRow() == 1
        assert (window.width(), window.height()) == size
        assert window.suppliers.model.row_at(0).name == "Persisted Pharma"
        window.close()


def test_screenshot_of_a_populated_window(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    window.resize(1280, 760)
    window.nav.setCurrentRow(0)
    assert window.suppliers.model.rowCount() >= 40
    save_screenshot(window, "main_window_suppliers")
    window.nav.setCurrentRow(1)
    save_screenshot(window, "main_window_engagements")
    window.nav.setCurrentRow(2)
    save_screenshot(window, "main_window_pipeline")
    window.nav.setCurrentRow(3)
    save_screenshot(window, "main_window_disclosures")


def test_a_damaged_settings_file_does_not_stop_the_app(tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from planner.ui.settings import Settings

    path = tmp_path / "settings.ini"
    path.write_text("[settings]\nversion=abc\n\n[window]\npage=Suppliers\n")
    settings = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    assert settings.get("window/page") == 0  # an unreadable value falls back to its default


def test_empty_pages_say_what_to_do_and_a_filter_says_it_matches_nothing(
    qtbot, store, make_window
) -> None:
    window = make_window(store)
    hints = {
        "Engagements": window.engagements.hint,
        "Pipeline": window.pipeline.hint,
        "Disclosures": window.disclosures.hints[0],
    }
    for page, hint in hints.items():
        window.nav.setCurrentRow(window.PAGES.index(page))
        assert (
            hint.label.isVisible()
            and "yet" in hint.label.text()
            or "No sharing" in hint.label.text()
        ), page
    CmoService(store).create(CMO(name="Alpine Pharma", country="DE"))
    window.nav.setCurrentRow(0)
    window.suppliers.refresh()
    assert not window.suppliers.hint.label.isVisible()
    qtbot.keyClicks(window.suppliers.search, "zzz")
    assert window.suppliers.hint.label.isVisible()
    assert window.suppliers.hint.label.text() == "No supplier matches the filter."
    window.suppliers.search.clear()
    assert not window.suppliers.hint.label.isVisible()
