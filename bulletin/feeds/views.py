"""Residents' endpoints: subscriptions and the personal feed (市民主页)."""

from __future__ import annotations

from sanic import Blueprint, Request

from bulletin.feeds import errors, service_feed, service_subscriptions
from bulletin.feeds.schemas import FeedQuery, ReadIn, SubscriptionIn, SubscriptionPatch
from bulletin.feeds.schemas_out import FeedPage, OptionsOut, ReadOut, SubscriptionOut, UnreadOut
from bulletin.feeds.service_subscriptions import Owner
from server import auth
from server.api import ANY_USER, endpoint

bp = Blueprint("feeds", url_prefix="/api/v1")
TAGS = ["subscriptions and feed"]


@bp.get("/subscriptions/options")
@endpoint("Choices of every criterion with Chinese labels", tags=TAGS, response=OptionsOut)
async def options(request: Request):
    return await service_subscriptions.options()


@bp.get("/subscriptions")
@endpoint("My subscriptions", tags=TAGS, response=list[SubscriptionOut], auth_roles=ANY_USER)
async def list_subscriptions(request: Request, *, user: auth.CurrentUser):
    return await service_subscriptions.list_subscriptions(Owner(user_id=user.id))


@bp.post("/subscriptions")
@endpoint("Subscribe (at most 20); recent matching items appear in the feed", tags=TAGS, body=SubscriptionIn,
          response=SubscriptionOut, status=201, auth_roles=ANY_USER,
          raises=[errors.BadCriteria, errors.TooManySubscriptions])
async def create_subscription(request: Request, *, body: SubscriptionIn, user: auth.CurrentUser):
    return await service_subscriptions.create_subscription(
        Owner(user_id=user.id), criteria=body.criteria.model_dump(), frequency=body.frequency)


@bp.patch("/subscriptions/<subscription_id:int>")
@endpoint("Change a subscription's criteria or frequency", tags=TAGS, body=SubscriptionPatch,
          response=SubscriptionOut, auth_roles=ANY_USER, raises=[errors.SubscriptionNotFound, errors.BadCriteria])
async def update_subscription(request: Request, subscription_id: int, *, body: SubscriptionPatch,
                              user: auth.CurrentUser):
    return await service_subscriptions.update_subscription(
        subscription_id, Owner(user_id=user.id), frequency=body.frequency,
        criteria=body.criteria.model_dump() if body.criteria is not None else None)


@bp.delete("/subscriptions/<subscription_id:int>")
@endpoint("Unsubscribe; items no other subscription matches leave the feed", tags=TAGS, status=204,
          auth_roles=ANY_USER, raises=[errors.SubscriptionNotFound])
async def delete_subscription(request: Request, subscription_id: int, *, user: auth.CurrentUser):
    await service_subscriptions.delete_subscription(subscription_id, Owner(user_id=user.id))


@bp.get("/feed")
@endpoint("My feed: matching documents and notices and my booking events, newest first", tags=TAGS,
          query=FeedQuery, response=FeedPage, auth_roles=ANY_USER, raises=[errors.InvalidCursor])
async def feed(request: Request, *, query: FeedQuery, user: auth.CurrentUser):
    return await service_feed.feed(user.id, cursor=query.cursor, limit=query.limit)


@bp.get("/feed/unread-count")
@endpoint("How many feed items I have not read", tags=TAGS, response=UnreadOut, auth_roles=ANY_USER)
async def unread_count(request: Request, *, user: auth.CurrentUser):
    return await service_feed.unread_count(user.id)


@bp.post("/feed/read")
@endpoint("Mark feed items read", tags=TAGS, body=ReadIn, response=ReadOut, auth_roles=ANY_USER)
async def mark_read(request: Request, *, body: ReadIn, user: auth.CurrentUser):
    return await service_feed.mark_read(user.id, body.ids)


@bp.post("/feed/read-all")
@endpoint("Mark my whole feed read", tags=TAGS, response=ReadOut, auth_roles=ANY_USER)
async def mark_all_read(request: Request, *, user: auth.CurrentUser):
    return await service_feed.mark_all_read(user.id)
