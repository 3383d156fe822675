"""Residents' and everyone's endpoints of letters: columns, writing, one's letters, rating, photos,
published replies, 人民建议 campaigns."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request

from questions import (
    errors,
    service_columns,
    service_letters,
    service_photos,
    service_publication,
)
from questions.schemas_letters import (
    AdoptedSuggestion,
    CampaignOut,
    ColumnOut,
    LetterCreate,
    LetterOut,
    LetterPageQuery,
    LetterRating,
    LettersPage,
    PhotoOut,
    PublicLetter,
    PublicLettersPage,
    PublicLettersQuery,
)
from server import accounts, auth
from server.api import ANY_USER, endpoint

bp = Blueprint("questions_letters", url_prefix="/api/v1")
TAGS = ["questions: letters"]
MULTIPART_ALLOWANCE = 64 * 1024


@bp.get("/questions/columns")
@endpoint("The columns residents may write to (书记信箱, 区长信箱, ...)", tags=TAGS, response=list[ColumnOut])
async def columns(request: Request):
    return await service_columns.list_columns()


@bp.post("/questions/letters")
@endpoint("Write a letter: content-checked by WeChat (risky: 422 content_rejected, nothing kept); held for "
          "checking when WeChat cannot answer", tags=TAGS, body=LetterCreate, response=LetterOut, status=201,
          auth_roles=ANY_USER,
          raises=[errors.ContentRejected, errors.UnknownColumn, errors.UnknownCategory, errors.PhoneRequired,
                  errors.PhotoNotFound, errors.UnknownDivision, errors.CampaignNotFound, errors.CampaignClosed])
async def write_letter(request: Request, *, body: LetterCreate, user: auth.CurrentUser):
    point = accounts.convert_point((body.place.lon, body.place.lat), body.place.coord, "wgs84") if body.place else None
    letter = service_letters.NewLetter(
        column=body.column, title=body.title, body=body.body, category=body.category, point=point,
        division=body.division, photos=tuple(body.photos), publish_consent=body.publish_consent, phone=body.phone,
        campaign_id=body.campaign_id, ask_id=body.ask_id)
    return await service_letters.write_letter(letter, user_id=user.id)


@bp.get("/questions/me/letters")
@endpoint("My letters, newest first", tags=TAGS, query=LetterPageQuery, response=LettersPage, auth_roles=ANY_USER)
async def my_letters(request: Request, *, query: LetterPageQuery, user: auth.CurrentUser):
    return await service_letters.my_letters(user_id=user.id, limit=query.limit,
                                            after=int(query.cursor) if query.cursor else None)


@bp.get("/questions/me/letters/<letter_id:int>")
@endpoint("One of my letters with every step (404 for anyone else's)", tags=TAGS, response=LetterOut,
          auth_roles=ANY_USER, raises=[errors.LetterNotFound])
async def my_letter(request: Request, letter_id: int, *, user: auth.CurrentUser):
    return await service_letters.my_letter(letter_id, user_id=user.id)


@bp.post("/questions/me/letters/<letter_id:int>/rating")
@endpoint("Rate the reply: 满意 / 基本满意 close the letter, 不满意 reopens it once", tags=TAGS, body=LetterRating,
          response=LetterOut, auth_roles=ANY_USER, raises=[errors.LetterNotFound, errors.StatusConflict])
async def rate(request: Request, letter_id: int, *, body: LetterRating, user: auth.CurrentUser):
    return await service_letters.rate_reply(letter_id, user_id=user.id, rating=body.rating)


@bp.post("/questions/photos", stream=True)
@endpoint("Upload a photo for a letter (multipart field 'file': JPG or PNG, at most 5 MB; WeChat-checked)",
          tags=TAGS, response=PhotoOut, status=201, auth_roles=ANY_USER, content_type="multipart/form-data",
          raises=[errors.PhotoMissing, errors.PhotoTooLarge, errors.PhotoRefused, errors.ContentRejected],
          max_body=service_photos.MAX_PHOTO_BYTES + MULTIPART_ALLOWANCE)
async def upload_photo(request: Request, *, user: auth.CurrentUser):
    upload = request.files.get("file") if request.files else None
    if upload is None:
        raise errors.PhotoMissing()
    return await service_photos.upload(upload.body, user_id=user.id)


@bp.get("/questions/photos/<photo_id:int>")
@endpoint("A letter's photo (its writer, or staff who may handle its letter; 404 for anyone else)", tags=TAGS, auth_roles=ANY_USER,
          content_type="image/jpeg", raises=[errors.LetterNotFound])
async def photo(request: Request, photo_id: int, *, user: auth.CurrentUser):
    data, content_type = await service_photos.photo_file(photo_id, user=user)
    return HTTPResponse(data, content_type=content_type, headers={"cache-control": "private, max-age=3600"})


@bp.get("/questions/public/letters")
@endpoint("Published replies (with the writers' consent, personal data masked), newest first", tags=TAGS,
          query=PublicLettersQuery, response=PublicLettersPage)
async def public_letters(request: Request, *, query: PublicLettersQuery):
    return await service_publication.public_letters(q=query.q, limit=query.limit,
                                                    after=int(query.cursor) if query.cursor else None)


@bp.get("/questions/public/letters/<letter_id:int>")
@endpoint("One published reply", tags=TAGS, response=PublicLetter, raises=[errors.LetterNotFound])
async def public_letter(request: Request, letter_id: int):
    return await service_publication.public_letter_view(letter_id)


@bp.get("/questions/campaigns")
@endpoint("人民建议 campaigns, newest first", tags=TAGS, response=list[CampaignOut])
async def campaigns(request: Request):
    return await service_columns.list_campaigns()


@bp.get("/questions/campaigns/<campaign_id:int>/adopted")
@endpoint("Suggestions adopted in a campaign, with their public notes", tags=TAGS,
          response=list[AdoptedSuggestion])
async def adopted(request: Request, campaign_id: int):
    return await service_publication.adopted(campaign_id)


