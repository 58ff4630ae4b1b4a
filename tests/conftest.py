"""Shared fixtures. LibreOffice is the referee for every formula the project writes."""

from __future__ import annotations

import pytest
from missing_tool import skip_or_fail

from generator.workbooks.libreoffice import soffice_path


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """Path to soffice; skips without it on a developer machine, fails in CI (CI=true)."""
    path = soffice_path()
    if path is None:
        skip_or_fail("LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui")
    return path
