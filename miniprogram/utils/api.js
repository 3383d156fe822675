// The one request module: base URL, token, one silent re-login on 401, errors shown in Chinese,
// coord=gcj02 on every map call (WeChat's <map> and wx.getLocation speak GCJ-02).

const config = require('../config')
const session = require('./session')
const E = require('./endpoints')
const { ApiError, fromResponse, NETWORK_MESSAGE } = require('./errors')

const MAP_PREFIX = '/api/v1/map/'
const MAP_COORD = 'gcj02'
const LONG_MESSAGE = 18 // longer messages go to a modal: a toast cuts them off

function fillPath(template, params) {
  const used = new Set()
  const filled = template.replace(/\{(\w+)\}/g, (_, name) => {
    const value = params[name]
    if (value === undefined || value === null || value === '') throw new Error(`${template}: missing path parameter ${name}`)
    used.add(name)
    return encodeURIComponent(String(value))
  })
  const extra = Object.keys(params).filter(name => !used.has(name))
  if (extra.length) throw new Error(`${template}: unknown path parameter ${extra.join(', ')}`)
  return filled
}

function queryString(query) {
  const parts = []
  Object.keys(query).forEach(key => {
    const value = query[key]
    // Repeated keys for lists: the server reads every value (category=a&category=b).
    const values = Array.isArray(value) ? value : [value]
    values.forEach(v => {
      if (v === undefined || v === null || v === '') return
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`)
    })
  })
  return parts.join('&')
}

/** The absolute URL of a call: path parameters filled, query encoded, coord=gcj02 on map calls. */
function buildUrl(endpoint, { path = {}, query = {} } = {}) {
  const filled = fillPath(endpoint.path, path)
  const q = endpoint.path.startsWith(MAP_PREFIX) ? Object.assign({}, query, { coord: MAP_COORD }) : query
  const qs = queryString(q)
  return config.baseUrl + filled + (qs ? `?${qs}` : '')
}

function headers(extra) {
  const out = Object.assign({ 'content-type': 'application/json' }, extra || {})
  const token = session.token()
  if (token) out.Authorization = `Bearer ${token}`
  return out
}

function networkError(err) {
  return new ApiError({ status: 0, code: 'network_error', message: NETWORK_MESSAGE, details: { errMsg: err && err.errMsg } })
}

// One HTTP exchange through wx.request; resolves with {statusCode, data} for every HTTP status.
function send(endpoint, opts) {
  return new Promise((resolve, reject) => {
    const req = { url: buildUrl(endpoint, opts), method: endpoint.method, header: headers(opts.header), dataType: 'json' }
    if (opts.data !== undefined) req.data = opts.data
    req.success = res => resolve({ statusCode: res.statusCode, data: res.data })
    req.fail = err => reject(networkError(err))
    wx.request(req)
  })
}

// One download through wx.downloadFile (images behind the login, such as the check-in QR code).
function fetchFile(endpoint, opts) {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url: buildUrl(endpoint, opts),
      header: headers(opts.header),
      success: res => resolve({ statusCode: res.statusCode, data: res.tempFilePath }),
      fail: err => reject(networkError(err)),
    })
  })
}

// One upload through wx.uploadFile (multipart field `file`, such as a letter's photo); the JSON answer
// arrives as text and is parsed here.
function sendFile(endpoint, opts) {
  return new Promise((resolve, reject) => {
    const header = headers(opts.header)
    delete header['content-type'] // wx.uploadFile sets multipart/form-data with its boundary
    wx.uploadFile({
      url: buildUrl(endpoint, opts),
      filePath: opts.file,
      name: 'file',
      header,
      success: res => {
        let data = res.data
        try { data = JSON.parse(res.data) } catch (err) { /* not JSON: errors.js falls back per status */ }
        resolve({ statusCode: res.statusCode, data })
      },
      fail: err => reject(networkError(err)),
    })
  })
}

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: res => (res.code ? resolve(res.code) : reject(new ApiError({ status: 0, code: 'invalid_code', message: '微信登录失败，请重试' }))),
      fail: err => reject(networkError(err)),
    })
  })
}

let loggingIn = null

async function doLogin() {
  const code = await wxLogin()
  const res = await send(E.authWechat, { data: { code } })
  if (res.statusCode !== 200) throw fromResponse(res.statusCode, res.data)
  session.save(res.data)
  return res.data.user
}

/** Log in with wx.login -> POST /api/v1/auth/wechat; concurrent callers share one login. */
function login() {
  if (!loggingIn) {
    loggingIn = doLogin().then(
      user => { loggingIn = null; return user },
      err => { loggingIn = null; throw err },
    )
  }
  return loggingIn
}

/** Show an error the way every page does: a toast, or a modal when the message is long. */
function showError(err) {
  const message = (err && err.message) || NETWORK_MESSAGE
  if (message.length > LONG_MESSAGE) wx.showModal({ title: '提示', content: message, showCancel: false })
  else wx.showToast({ title: message, icon: 'none', duration: 2500 })
}

// A 401 about the session (not, say, a bad getPhoneNumber code, which is also 401).
function isSessionError(body) {
  const code = body && body.error && body.error.code
  return !code || code === 'unauthorized'
}

async function exchange(transport, endpoint, opts) {
  if (endpoint.auth && !session.token()) await login()
  let res = await transport(endpoint, opts)
  if (res.statusCode === 401 && isSessionError(res.data)) {
    // The token expired or was revoked: log in again without asking, then retry exactly once.
    session.clear()
    await login()
    res = await transport(endpoint, opts)
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data
  throw fromResponse(res.statusCode, res.data)
}

function shown(promise) {
  return promise.catch(err => {
    showError(err)
    throw err
  })
}

/** Call an endpoint from utils/endpoints.js: {path, query, data, header}; resolves with the JSON body. */
function request(endpoint, opts = {}) {
  return shown(exchange(send, endpoint, opts))
}

/** Download a file behind an endpoint (e.g. a QR code image); resolves with the temporary file path. */
function download(endpoint, opts = {}) {
  return shown(exchange(fetchFile, endpoint, opts))
}

/** Upload a local file (a temporary path from wx.chooseMedia) as `file`; resolves with the JSON body. */
function upload(endpoint, opts = {}) {
  return shown(exchange(sendFile, endpoint, opts))
}

/** Log in explicitly (the 我的 page's button); errors are shown like any other. */
function loginNow() {
  return shown(login())
}

module.exports = { request, download, upload, login: loginNow, buildUrl, showError, ApiError }
