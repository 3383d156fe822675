"""Residents' endpoints of 一号答: categories, search, suggestions, reading an answer, "solved"."""

from __future__ import annotations

from sanic import Blueprint, Request

from questions import errors, service_answers, service_categories
from questions.schemas import (
    AnswersPage,
    AnswersQuery,
    AnswerSuggestions,
    CategoryOption,
    Feedback,
    FeedbackOut,
    PublicEntry,
    SuggestQuery,
)
from server import auth
from server.api import ANY_USER, endpoint

bp = Blueprint("questions", url_prefix="/api/v1")
TAGS = ["questions: 一号答"]


@bp.get("/questions/categories")
@endpoint("The question categories ({value, label})", tags=TAGS, response=list[CategoryOption])
async def categories(request: Request):
    return await service_categories.options()


@bp.get("/questions/answers")
@endpoint("Search the 一号答 answers (question matches first), with category facets", tags=TAGS,
          query=AnswersQuery, response=AnswersPage, raises=[errors.ValidationFailed])
async def search_answers(request: Request, *, query: AnswersQuery):
    return await service_answers.search_answers(q=query.q, categories=tuple(query.category), limit=query.limit,
                                                cursor=query.cursor)


@bp.get("/questions/suggest")
@endpoint("The best answers for what the resident has typed so far", tags=TAGS, query=SuggestQuery,
          response=AnswerSuggestions)
async def suggest(request: Request, *, query: SuggestQuery):
    return await service_answers.suggest(query.q, limit=query.limit)


@bp.get("/questions/answers/<entry_id:int>")
@endpoint("One published answer (counts a view)", tags=TAGS, response=PublicEntry, raises=[errors.EntryNotFound])
async def read_answer(request: Request, entry_id: int):
    return await service_answers.read_answer(entry_id)


@bp.post("/questions/answers/<entry_id:int>/feedback")
@endpoint("Say whether the answer solved the question (one vote per person, changeable)", tags=TAGS,
          body=Feedback, response=FeedbackOut, auth_roles=ANY_USER, raises=[errors.EntryNotFound])
async def feedback(request: Request, entry_id: int, *, body: Feedback, user: auth.CurrentUser):
    return await service_answers.record_feedback(entry_id, solved=body.solved, user_id=user.id)
