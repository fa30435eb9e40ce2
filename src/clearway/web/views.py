"""Web console routes (filled in by the console module)."""

from fastapi import APIRouter

router = APIRouter()
