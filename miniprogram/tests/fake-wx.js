// A fake `wx` for unit and page tests: a server of canned answers behind wx.request and
// wx.downloadFile, storage, login codes, location, subscribe-message consent, and a record of
// every UI call (toasts, modals, navigation) for assertions.

const BASE = require('../config').baseUrl

function parseUrl(url) {
  const parsed = new URL(url)
  const query = {}
  parsed.searchParams.forEach((value, key) => {
    if (key in query) query[key] = [].concat(query[key], value)
    else query[key] = value
  })
  return { path: parsed.pathname, query, base: `${parsed.protocol}//${parsed.host}` }
}

// Marks an answer with its status; any other value given to server.on() is a 200 body.
const RESPONSE = Symbol('response')

function json(status, body) {
  return { status, body, [RESPONSE]: true }
}

function errorBody(status, code, message, details) {
  return json(status, { error: { code, message, details: details || {} } })
}

function createServer() {
  const routes = new Map()
  const server = {
    requests: [],
    unmatched: [],
    /** Answer `METHOD /path` with these responses in turn; the last one repeats. A function gets the request. */
    on(key, ...responses) {
      routes.set(key, responses.map(r => (typeof r === 'function' || (r && r[RESPONSE]) ? r : json(200, r))))
      return server
    },
    answer(req) {
      const key = `${req.method} ${req.path}`
      const queue = routes.get(key)
      if (!queue) {
        server.unmatched.push(key)
        return errorBody(404, 'not_found', '资源不存在')
      }
      const next = queue.length > 1 ? queue.shift() : queue[0]
      return typeof next === 'function' ? next(req) : next
    },
    /** The recorded requests to `METHOD /path`. */
    calls(key) {
      return server.requests.filter(r => `${r.method} ${r.path}` === key)
    },
  }
  return server
}

function later(fn) {
  Promise.resolve().then(fn)
}

function createWx(options = {}) {
  const storage = new Map()
  const server = createServer()
  const calls = {}
  // Requests and other calls in the order they happened, as "wx.name" or "METHOD /path".
  const timeline = []
  let loginCount = 0
  const settings = Object.assign({
    location: { latitude: 22.5482, longitude: 114.1315 },
    locationError: null,
    subscribe: null, // function(tmplIds) -> result object; default accepts all
    modalConfirm: true,
    modalContent: '',
    loginFails: false,
    networkDown: false,
    media: [], // what wx.chooseMedia picks: [{tempFilePath, size}]
    mediaCancelled: false,
    chosenPlace: null, // what wx.chooseLocation picks (GCJ-02): {name, address, latitude, longitude}
  }, options)

  function record(name, arg) {
    (calls[name] = calls[name] || []).push(arg)
    timeline.push(`wx.${name}`)
  }

  function finish(arg, ok, value) {
    later(() => {
      if (ok && arg.success) arg.success(value)
      if (!ok && arg.fail) arg.fail(value)
      if (arg.complete) arg.complete(value)
    })
  }

  function exchange(arg, kind) {
    const { path, query, base } = parseUrl(arg.url)
    const req = { kind, method: (arg.method || (kind === 'upload' ? 'POST' : 'GET')).toUpperCase(), url: arg.url, base, path, query,
      data: arg.data, header: Object.assign({}, arg.header) }
    server.requests.push(req)
    timeline.push(`${req.method} ${path}`)
    if (settings.networkDown) return { ok: false, value: { errMsg: `${kind}:fail timeout` } }
    return { ok: true, req, res: server.answer(req) }
  }

  const wx = {
    server,
    calls,
    timeline,
    storage,
    settings,
    get loginCount() {
      return loginCount
    },
    request(arg) {
      const out = exchange(arg, 'request')
      if (!out.ok) return finish(arg, false, out.value)
      // A handler may answer later (a Promise), to test answers that arrive out of order.
      return Promise.resolve(out.res).then(res => {
        // wx.request hands back a deep copy of the JSON, as parsing a body would.
        const data = res.body === undefined ? '' : JSON.parse(JSON.stringify(res.body))
        finish(arg, true, { statusCode: res.status, data, header: {}, errMsg: 'request:ok' })
      })
    },
    downloadFile(arg) {
      const out = exchange(arg, 'download')
      if (!out.ok) return finish(arg, false, out.value)
      const n = server.requests.length
      return finish(arg, true, { statusCode: out.res.status, tempFilePath: `wxfile://tmp/download-${n}.png`, errMsg: 'downloadFile:ok' })
    },
    uploadFile(arg) {
      const out = exchange(arg, 'upload')
      if (!out.ok) return finish(arg, false, out.value)
      out.req.filePath = arg.filePath
      out.req.name = arg.name
      // wx.uploadFile hands back the body as text.
      return Promise.resolve(out.res).then(res => finish(arg, true, {
        statusCode: res.status, data: res.body === undefined ? '' : JSON.stringify(res.body), errMsg: 'uploadFile:ok' }))
    },
    chooseMedia(arg) {
      record('chooseMedia', arg)
      if (settings.mediaCancelled) return finish(arg, false, { errMsg: 'chooseMedia:fail cancel' })
      const files = (settings.media || []).slice(0, arg.count || 9).map(f => Object.assign({ fileType: 'image' }, f))
      return finish(arg, true, { errMsg: 'chooseMedia:ok', type: 'image', tempFiles: files })
    },
    chooseLocation(arg) {
      record('chooseLocation', arg)
      if (!settings.chosenPlace) return finish(arg, false, { errMsg: 'chooseLocation:fail cancel' })
      return finish(arg, true, Object.assign({ errMsg: 'chooseLocation:ok' }, settings.chosenPlace))
    },
    login(arg) {
      loginCount += 1
      record('login', {})
      if (settings.loginFails) return finish(arg, false, { errMsg: 'login:fail' })
      return finish(arg, true, { code: `wx-code-${loginCount}`, errMsg: 'login:ok' })
    },
    getStorageSync: key => (storage.has(key) ? JSON.parse(storage.get(key)) : ''),
    setStorageSync: (key, value) => storage.set(key, JSON.stringify(value)),
    removeStorageSync: key => storage.delete(key),
    clearStorageSync: () => storage.clear(),
    getLocation(arg) {
      record('getLocation', arg)
      if (settings.locationError) return finish(arg, false, { errMsg: settings.locationError })
      return finish(arg, true, Object.assign({ errMsg: 'getLocation:ok', accuracy: 30 }, settings.location))
    },
    requestSubscribeMessage(arg) {
      record('requestSubscribeMessage', arg)
      const result = settings.subscribe
        ? settings.subscribe(arg.tmplIds)
        : Object.fromEntries(arg.tmplIds.map(id => [id, 'accept']))
      return finish(arg, true, Object.assign({ errMsg: 'requestSubscribeMessage:ok' }, result))
    },
    showModal(arg) {
      record('showModal', arg)
      return finish(arg, true, { confirm: settings.modalConfirm, cancel: !settings.modalConfirm, content: settings.modalContent })
    },
    createMapContext(id) {
      const ctx = {
        id,
        region: { southwest: { longitude: 114.10, latitude: 22.53 }, northeast: { longitude: 114.16, latitude: 22.57 } },
        scale: 14,
        listeners: {},
        initMarkerCluster: opts => record('initMarkerCluster', opts),
        on: (event, fn) => { ctx.listeners[event] = fn },
        getRegion: a => finish(a, true, Object.assign({ errMsg: 'getRegion:ok' }, ctx.region)),
        getScale: a => finish(a, true, { errMsg: 'getScale:ok', scale: ctx.scale }),
        moveToLocation: a => record('moveToLocation', a),
        includePoints: a => record('includePoints', a),
      }
      record('createMapContext', ctx)
      return ctx
    },
    getSystemInfoSync: () => ({ windowHeight: 700, windowWidth: 375, pixelRatio: 2 }),
    getWindowInfo: () => ({ windowHeight: 700, windowWidth: 375, pixelRatio: 2 }),
    createSelectorQuery() {
      const query = {
        in: () => query,
        select: () => query,
        boundingClientRect: () => query,
        exec: cb => later(() => cb && cb([{ height: 2100, top: 0 }])),
      }
      return query
    },
  }
  // Calls that only need recording; each answers success.
  ;['showToast', 'hideToast', 'showLoading', 'hideLoading', 'navigateTo', 'redirectTo', 'switchTab', 'reLaunch',
    'navigateBack', 'makePhoneCall', 'openLocation', 'setNavigationBarTitle', 'setTabBarBadge', 'removeTabBarBadge',
    'stopPullDownRefresh', 'pageScrollTo', 'previewImage', 'setClipboardData', 'showActionSheet', 'openPrivacyContract',
    'vibrateShort', 'openDocument'].forEach(name => {
    wx[name] = arg => {
      record(name, arg || {})
      if (arg) finish(arg, true, { errMsg: `${name}:ok`, tapIndex: 0 })
    }
  })
  wx.onNeedPrivacyAuthorization = fn => record('onNeedPrivacyAuthorization', fn)
  return wx
}

/** Every message shown to the resident: toast titles and modal texts. */
function shown(wx) {
  return [].concat((wx.calls.showToast || []).map(t => t.title), (wx.calls.showModal || []).map(m => m.content))
}

/** Let queued callbacks and the promise chains behind them run. */
async function flush(rounds = 20) {
  for (let i = 0; i < rounds; i += 1) await new Promise(resolve => setImmediate(resolve))
}

module.exports = { createWx, flush, json, errorBody, shown, BASE }
