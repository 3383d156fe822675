"""The 叫号 display for a TV in the hall: now serving per window and the next numbers, nothing personal.

Public, like the queue the mini-program shows (GET /api/v1/halls/{id}/queue): the same service
function, so the TV needs no account. The page polls its board fragment every few seconds (htmx).
"""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request

from appointments import service_halls, service_tickets
from console.pages import install_error_pages, render

bp = Blueprint("console_display", url_prefix="/console/display")
install_error_pages(bp)
REFRESH_SECONDS = 3


@bp.get("/<hall_id:int>")
async def display(request: Request, hall_id: int) -> HTTPResponse:
    hall = await service_halls.get_hall(hall_id)
    board = await service_tickets.queue(hall_id)
    return render("display.html", hall=hall, board=board, refresh=REFRESH_SECONDS)


@bp.get("/<hall_id:int>/board")
async def board(request: Request, hall_id: int) -> HTTPResponse:
    await service_halls.get_hall(hall_id)
    return render("fragments/board.html", hall_id=hall_id, board=await service_tickets.queue(hall_id),
                  refresh=REFRESH_SECONDS)
