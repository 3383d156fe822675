const { createWx, json, errorBody, shown } = require('../fake-wx')

const LOGIN = { token: 'tok-1', expires_at: '2099-01-01T00:00:00Z', user: { id: 7, role: 'resident', nickname: '居民', phone: null, home: null, halls: [] } }

function setup(options) {
  const wx = createWx(options)
  global.wx = wx
  let modules
  jest.isolateModules(() => {
    modules = { api: require('../../utils/api'), E: require('../../utils/endpoints'), session: require('../../utils/session') }
  })
  return Object.assign({ wx }, modules)
}

describe('URLs', () => {
  test('path parameters are filled and lists become repeated keys, percent-encoded', () => {
    const { api, E } = setup()
    const url = api.buildUrl(E.gazetteSearch, { query: { q: '养老 服务', agency: ['lhqzf', 'lhqmzj'], year: [], cursor: null, limit: 20 } })
    expect(url).toBe('http://127.0.0.1:8000/api/v1/gazette/documents?q=%E5%85%BB%E8%80%81%20%E6%9C%8D%E5%8A%A1&agency=lhqzf&agency=lhqmzj&limit=20')
    expect(api.buildUrl(E.hallAvailability, { path: { hall_id: 3 }, query: { service_id: 12 } }))
      .toBe('http://127.0.0.1:8000/api/v1/halls/3/availability?service_id=12')
  })

  test('every map call asks for GCJ-02 and no other call does', () => {
    const { api, E } = setup()
    expect(api.buildUrl(E.mapPoi, { path: { poi_id: 5 } })).toBe('http://127.0.0.1:8000/api/v1/map/pois/5?coord=gcj02')
    expect(api.buildUrl(E.mapClusters, { query: { bbox: '114,22,115,23', zoom: 12, coord: 'wgs84' } }))
      .toBe('http://127.0.0.1:8000/api/v1/map/clusters?bbox=114%2C22%2C115%2C23&zoom=12&coord=gcj02')
    expect(api.buildUrl(E.halls)).toBe('http://127.0.0.1:8000/api/v1/halls')
  })

  test('a missing or unknown path parameter is a programming error, not a request', () => {
    const { api, E } = setup()
    expect(() => api.buildUrl(E.hall, {})).toThrow('missing path parameter hall_id')
    expect(() => api.buildUrl(E.halls, { path: { hall_id: 1 } })).toThrow('unknown path parameter hall_id')
  })
})

describe('login and the token', () => {
  test('an endpoint that needs a login logs in first, then sends the bearer token', async () => {
    const { api, E, wx, session } = setup()
    wx.server.on('POST /api/v1/auth/wechat', LOGIN).on('GET /api/v1/bookings', [])
    await expect(api.request(E.bookings)).resolves.toEqual([])
    const [login, bookings] = wx.server.requests
    expect(login.data).toEqual({ code: 'wx-code-1' })
    expect(login.header.Authorization).toBeUndefined()
    expect(bookings.header.Authorization).toBe('Bearer tok-1')
    expect(session.user()).toEqual(LOGIN.user)
  })

  test('a 401 logs in again silently and retries exactly once', async () => {
    const { api, E, wx, session } = setup()
    session.save({ token: 'old', expires_at: '2099-01-01T00:00:00Z', user: LOGIN.user })
    wx.server
      .on('GET /api/v1/me', errorBody(401, 'unauthorized', '请先登录'), json(200, LOGIN.user))
      .on('POST /api/v1/auth/wechat', LOGIN)
    await expect(api.request(E.me)).resolves.toEqual(LOGIN.user)
    expect(wx.server.requests.map(r => `${r.method} ${r.path} ${r.header.Authorization || '-'}`)).toEqual([
      'GET /api/v1/me Bearer old', 'POST /api/v1/auth/wechat -', 'GET /api/v1/me Bearer tok-1',
    ])
    expect(wx.calls.showToast).toBeUndefined()
  })

  test('a second 401 after the re-login is shown, not retried again', async () => {
    const { api, E, wx, session } = setup()
    session.save({ token: 'old', expires_at: '2099-01-01T00:00:00Z', user: LOGIN.user })
    wx.server.on('GET /api/v1/me', errorBody(401, 'unauthorized', '请先登录')).on('POST /api/v1/auth/wechat', LOGIN)
    await expect(api.request(E.me)).rejects.toMatchObject({ status: 401, code: 'unauthorized' })
    expect(wx.loginCount).toBe(1)
    expect(wx.server.calls('GET /api/v1/me')).toHaveLength(2)
    expect(wx.calls.showToast).toEqual([expect.objectContaining({ title: '请先登录', icon: 'none' })])
  })

  test('requests that fail together share one login', async () => {
    const { api, E, wx } = setup()
    wx.server.on('POST /api/v1/auth/wechat', LOGIN).on('GET /api/v1/bookings', []).on('GET /api/v1/me', LOGIN.user)
    await Promise.all([api.request(E.bookings), api.request(E.me), api.request(E.bookings)])
    expect(wx.loginCount).toBe(1)
    expect(wx.server.calls('POST /api/v1/auth/wechat')).toHaveLength(1)
  })

  test('an expired token counts as none', async () => {
    const { api, E, wx, session } = setup()
    session.save({ token: 'stale', expires_at: '2020-01-01T00:00:00Z', user: LOGIN.user })
    expect(session.token()).toBe('')
    wx.server.on('POST /api/v1/auth/wechat', LOGIN).on('GET /api/v1/me', LOGIN.user)
    await api.request(E.me)
    expect(wx.server.calls('GET /api/v1/me')[0].header.Authorization).toBe('Bearer tok-1')
  })

  test('a bad getPhoneNumber code (401 invalid_code) is shown without logging in again', async () => {
    const { api, E, wx, session } = setup()
    session.save(LOGIN)
    wx.server.on('POST /api/v1/auth/phone', errorBody(401, 'invalid_code', '微信登录凭证无效或已过期，请重新登录'))
    await expect(api.request(E.authPhone, { data: { code: 'bad' } })).rejects.toMatchObject({ code: 'invalid_code' })
    expect(wx.loginCount).toBe(0)
    expect(shown(wx)).toEqual(['微信登录凭证无效或已过期，请重新登录'])
  })

  test('a refused WeChat login is shown in Chinese', async () => {
    const { api, wx } = setup()
    wx.server.on('POST /api/v1/auth/wechat', errorBody(503, 'wechat_unavailable', '微信服务暂时不可用，请稍后再试'))
    await expect(api.login()).rejects.toMatchObject({ status: 503, code: 'wechat_unavailable' })
    expect(wx.calls.showToast[0].title).toBe('微信服务暂时不可用，请稍后再试')
  })
})

describe('errors are shown in Chinese', () => {
  test('the server\'s own message, with a field message written for people', async () => {
    const { api, E, wx, session } = setup()
    session.save(LOGIN)
    wx.server.on('POST /api/v1/bookings', errorBody(409, 'slot_full', '该时段已约满，请选择其他时段'))
    await expect(api.request(E.book, { data: {} })).rejects.toMatchObject({ status: 409, code: 'slot_full', message: '该时段已约满，请选择其他时段' })
    wx.server.on('POST /api/v1/bookings', errorBody(422, 'validation_error', '请求参数有误',
      { fields: [{ field: 'x', message: 'Field required' }, { field: 'phone', message: '手机号码格式不对' }] }))
    await expect(api.request(E.book, { data: {} })).rejects.toMatchObject({ message: '请求参数有误：手机号码格式不对' })
    expect(wx.calls.showToast.map(t => t.title)).toEqual(['该时段已约满，请选择其他时段', '请求参数有误：手机号码格式不对'])
  })

  test('an answer without a message falls back to one per code, then per status', async () => {
    const { api, E, wx } = setup()
    wx.server.on('GET /api/v1/halls', json(409, { error: { code: 'quota_exceeded' } }))
    await expect(api.request(E.halls)).rejects.toMatchObject({ message: '该证件预约次数已达上限' })
    wx.server.on('GET /api/v1/halls', json(502, '<html>Bad Gateway</html>'))
    await expect(api.request(E.halls)).rejects.toMatchObject({ status: 502, code: 'service_unavailable', message: '服务暂时不可用，请稍后再试' })
    wx.server.on('GET /api/v1/halls', json(404, ''))
    await expect(api.request(E.halls)).rejects.toMatchObject({ message: '内容不存在或已删除' })
    expect(wx.calls.showToast.map(t => t.title)).toEqual(['该证件预约次数已达上限', '服务暂时不可用，请稍后再试', '内容不存在或已删除'])
  })

  test('a message too long for a toast is shown whole in a modal', async () => {
    const { api, E, wx, session } = setup()
    session.save(LOGIN)
    const message = '因多次爽约，该证件暂停预约至2027年2月28日，届时自动恢复'
    wx.server.on('POST /api/v1/bookings', errorBody(403, 'booking_blocked', message, { until: '2027-02-28' }))
    await expect(api.request(E.book, { data: {} })).rejects.toMatchObject({ status: 403, code: 'booking_blocked', details: { until: '2027-02-28' } })
    expect(wx.calls.showModal).toEqual([expect.objectContaining({ content: message, showCancel: false })])
    expect(wx.calls.showToast).toBeUndefined()
  })

  test('a network failure says so', async () => {
    const { api, E, wx } = setup({ networkDown: true })
    await expect(api.request(E.halls)).rejects.toMatchObject({ status: 0, code: 'network_error' })
    expect(wx.calls.showToast[0].title).toBe('网络连接失败，请检查网络后重试')
  })
})

describe('downloads', () => {
  test('a QR code behind the login is downloaded with the token', async () => {
    const { api, E, wx, session } = setup()
    session.save(LOGIN)
    wx.server.on('GET /api/v1/bookings/5/qr.png', json(200, ''))
    const file = await api.download(E.bookingQr, { path: { booking_id: 5 } })
    expect(file).toMatch(/^wxfile:\/\/tmp\//)
    const [req] = wx.server.requests
    expect(req).toMatchObject({ kind: 'download', path: '/api/v1/bookings/5/qr.png' })
    expect(req.header.Authorization).toBe('Bearer tok-1')
  })

  test('a refused download is shown like any error', async () => {
    const { api, E, wx, session } = setup()
    session.save(LOGIN)
    wx.server.on('GET /api/v1/bookings/5/qr.png', json(409, ''))
    await expect(api.download(E.bookingQr, { path: { booking_id: 5 } })).rejects.toMatchObject({ status: 409 })
    expect(wx.calls.showToast[0].title).toBe('操作与当前状态冲突，请刷新后重试')
  })
})
