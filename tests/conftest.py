"""Shared fixtures. LibreOffice is the referee for every formula the project writes."""

from __future__ import annotations

import os

import pytest

from generator.libreoffice import soffice_path


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """Path to soffice; skips without it on a developer machine, fails in CI (CI=true)."""
    path = soffice_path()
    if path is None:
        message = "LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}: CI must run the real-engine tests")
        pytest.skip(message)
    return path
