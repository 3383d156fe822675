// The login session kept in the mini-program's storage: token, its expiry and the user (GET /api/v1/me shape).

const KEY = 'bianmin.session'

function read() {
  const value = wx.getStorageSync(KEY)
  return value && typeof value === 'object' ? value : null
}

/** The bearer token, or '' when logged out or expired. */
function token() {
  const s = read()
  if (!s || !s.token) return ''
  if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) return ''
  return s.token
}

/** The logged-in user, or null. */
function user() {
  const s = read()
  return s && token() ? s.user || null : null
}

/** Keep a login answer {token, expires_at, user}. */
function save(login) {
  wx.setStorageSync(KEY, { token: login.token, expires_at: login.expires_at, user: login.user })
}

/** Replace the stored user (after binding a phone, for example). */
function setUser(value) {
  const s = read()
  if (s) wx.setStorageSync(KEY, Object.assign({}, s, { user: value }))
}

/** Forget the session. */
function clear() {
  wx.removeStorageSync(KEY)
}

module.exports = { token, user, save, setUser, clear, KEY }
