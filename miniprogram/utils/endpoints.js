// Every server endpoint the mini-program calls, in one registry.
// Pages call them only as api.request(E.name, {path, query, data}) with literal keys, so
// scripts/api-calls.js can list every call and the contract test can hold it to the server's OpenAPI.
// `auth: true` marks endpoints that need a logged-in resident (the server's `security`).

function ep(method, path, auth) {
  return Object.freeze({ method, path, auth: Boolean(auth) })
}

const AUTH = true

module.exports = Object.freeze({
  // accounts and consent
  authWechat: ep('POST', '/api/v1/auth/wechat'),
  authPhone: ep('POST', '/api/v1/auth/phone', AUTH),
  logout: ep('POST', '/api/v1/auth/logout', AUTH),
  me: ep('GET', '/api/v1/me', AUTH),
  deleteMe: ep('DELETE', '/api/v1/me', AUTH),
  pushTemplates: ep('GET', '/api/v1/push/templates'),
  pushGrants: ep('POST', '/api/v1/push/grants', AUTH),

  // service map (api.js adds coord=gcj02 to every /api/v1/map/ call)
  mapCategories: ep('GET', '/api/v1/map/categories'),
  mapPois: ep('GET', '/api/v1/map/pois'),
  mapPoi: ep('GET', '/api/v1/map/pois/{poi_id}'),
  mapClusters: ep('GET', '/api/v1/map/clusters'),
  mapLocate: ep('GET', '/api/v1/map/locate'),

  // halls and bookings
  halls: ep('GET', '/api/v1/halls'),
  hall: ep('GET', '/api/v1/halls/{hall_id}'),
  hallServices: ep('GET', '/api/v1/halls/{hall_id}/services'),
  hallAvailability: ep('GET', '/api/v1/halls/{hall_id}/availability'),
  hallQueue: ep('GET', '/api/v1/halls/{hall_id}/queue'),
  bookings: ep('GET', '/api/v1/bookings', AUTH),
  book: ep('POST', '/api/v1/bookings', AUTH),
  booking: ep('GET', '/api/v1/bookings/{booking_id}', AUTH),
  cancelBooking: ep('POST', '/api/v1/bookings/{booking_id}/cancel', AUTH),
  rescheduleBooking: ep('POST', '/api/v1/bookings/{booking_id}/reschedule', AUTH),
  bookingQr: ep('GET', '/api/v1/bookings/{booking_id}/qr.png', AUTH),
  rateBooking: ep('POST', '/api/v1/bookings/{booking_id}/rating', AUTH),

  // gazette
  gazetteIssues: ep('GET', '/api/v1/gazette/issues'),
  gazetteIssue: ep('GET', '/api/v1/gazette/issues/{issue_id}'),
  gazetteSearch: ep('GET', '/api/v1/gazette/documents'),
  gazetteSuggest: ep('GET', '/api/v1/gazette/suggest'),
  gazetteDocument: ep('GET', '/api/v1/gazette/documents/{document_id}'),
  gazetteAttachment: ep('GET', '/api/v1/gazette/attachments/{attachment_id}'),
  favorite: ep('POST', '/api/v1/gazette/documents/{document_id}/favorite', AUTH),
  unfavorite: ep('DELETE', '/api/v1/gazette/documents/{document_id}/favorite', AUTH),
  readingPosition: ep('PUT', '/api/v1/gazette/documents/{document_id}/position', AUTH),
  myFavorites: ep('GET', '/api/v1/me/favorites', AUTH),
  myHistory: ep('GET', '/api/v1/me/history', AUTH),

  // subscriptions, the personal feed (市民主页) and notices
  subscriptionOptions: ep('GET', '/api/v1/subscriptions/options'),
  subscriptions: ep('GET', '/api/v1/subscriptions', AUTH),
  subscribe: ep('POST', '/api/v1/subscriptions', AUTH),
  updateSubscription: ep('PATCH', '/api/v1/subscriptions/{subscription_id}', AUTH),
  unsubscribe: ep('DELETE', '/api/v1/subscriptions/{subscription_id}', AUTH),
  feed: ep('GET', '/api/v1/feed', AUTH),
  feedUnreadCount: ep('GET', '/api/v1/feed/unread-count', AUTH),
  feedRead: ep('POST', '/api/v1/feed/read', AUTH),
  feedReadAll: ep('POST', '/api/v1/feed/read-all', AUTH),
  notice: ep('GET', '/api/v1/notices/{notice_id}'),

  // enterprises (企业主页)
  myEnterprises: ep('GET', '/api/v1/enterprises', AUTH),
  registerEnterprise: ep('POST', '/api/v1/enterprises', AUTH),
  joinEnterprise: ep('POST', '/api/v1/enterprises/join', AUTH),
  enterpriseHome: ep('GET', '/api/v1/enterprises/{enterprise_id}/home', AUTH),
  enterpriseInvite: ep('POST', '/api/v1/enterprises/{enterprise_id}/invitations', AUTH),
  enterpriseMembers: ep('GET', '/api/v1/enterprises/{enterprise_id}/members', AUTH),
  enterpriseRemoveMember: ep('DELETE', '/api/v1/enterprises/{enterprise_id}/members/{member_id}', AUTH),
  enterpriseNotify: ep('PATCH', '/api/v1/enterprises/{enterprise_id}/membership', AUTH),
  enterpriseLeave: ep('DELETE', '/api/v1/enterprises/{enterprise_id}/membership', AUTH),
  enterpriseSubscribe: ep('POST', '/api/v1/enterprises/{enterprise_id}/subscriptions', AUTH),
  enterpriseUpdateSubscription: ep('PATCH', '/api/v1/enterprises/{enterprise_id}/subscriptions/{subscription_id}', AUTH),
  enterpriseUnsubscribe: ep('DELETE', '/api/v1/enterprises/{enterprise_id}/subscriptions/{subscription_id}', AUTH),

  // ask the district (问一问): 一号答 answers, letters (我的留言), published replies
  questionCategories: ep('GET', '/api/v1/questions/categories'),
  questionSuggest: ep('GET', '/api/v1/questions/suggest'),
  questionAnswer: ep('GET', '/api/v1/questions/answers/{entry_id}'),
  questionFeedback: ep('POST', '/api/v1/questions/answers/{entry_id}/feedback', AUTH),
  letterColumns: ep('GET', '/api/v1/questions/columns'),
  campaigns: ep('GET', '/api/v1/questions/campaigns'),
  writeLetter: ep('POST', '/api/v1/questions/letters', AUTH),
  letterPhotoUpload: ep('POST', '/api/v1/questions/photos', AUTH),
  letterPhoto: ep('GET', '/api/v1/questions/photos/{photo_id}', AUTH),
  myLetters: ep('GET', '/api/v1/questions/me/letters', AUTH),
  myLetter: ep('GET', '/api/v1/questions/me/letters/{letter_id}', AUTH),
  rateLetter: ep('POST', '/api/v1/questions/me/letters/{letter_id}/rating', AUTH),
  publicLetters: ep('GET', '/api/v1/questions/public/letters'),
  publicLetter: ep('GET', '/api/v1/questions/public/letters/{letter_id}'),
})
