// The map page against a fake wx: GCJ-02 everywhere, category tabs, nearby list, viewport reloads.
const { createWx, flush, json } = require('../fake-wx')
const { loadPage, tap } = require('../page-harness')
const S = require('../fixtures/server')

function serve(wx) {
  wx.server
    .on('GET /api/v1/map/categories', S.CATEGORIES)
    .on('GET /api/v1/map/pois', req => json(200, req.query.bbox ? S.VIEWPORT_POINTS : S.NEARBY))
    .on('GET /api/v1/map/clusters', S.CLUSTERS)
    .on('GET /api/v1/map/locate', S.LOCATE)
}

async function openMap(options) {
  const wx = createWx(options)
  serve(wx)
  const page = loadPage('pages/map/map', { wx })
  await page.onLoad({})
  await page.onReady()
  return { wx, page }
}

test('the resident is located in GCJ-02 and every map request says coord=gcj02', async () => {
  const { wx, page } = await openMap({ location: { latitude: 22.5478, longitude: 114.1322 } })
  expect(wx.calls.getLocation.map(c => c.type)).toEqual(['gcj02'])
  const mapRequests = wx.server.requests.filter(r => r.path.startsWith('/api/v1/map/'))
  expect(mapRequests.length).toBeGreaterThanOrEqual(4)
  mapRequests.forEach(r => expect(r.query.coord).toBe('gcj02'))
  expect(page.data).toMatchObject({ latitude: 22.5478, longitude: 114.1322, located: true, where: '东门街道 立新社区' })
  expect(wx.server.unmatched).toEqual([])
})

test('the nearby list asks around the resident and keeps the server\'s nearest-first order', async () => {
  const { wx, page } = await openMap({ location: { latitude: 22.5478, longitude: 114.1322 } })
  const nearby = wx.server.calls('GET /api/v1/map/pois').find(r => r.query.lat)
  expect(nearby.query).toMatchObject({ lat: '22.5478', lon: '114.1322', radius: '3000', coord: 'gcj02' })
  expect(page.data.nearby.map(i => [i.id, i.distance_m])).toEqual([[109, 71], [31, 322]])
  expect(page.data.total).toBe(34)
})

test('category tabs come from the tree: 教育, 医疗, 养老, 政务服务; choosing one filters both lists', async () => {
  const { wx, page } = await openMap()
  expect(page.data.tabs.map(t => t.name)).toEqual(['教育', '医疗', '养老', '政务服务'])
  const before = wx.server.requests.length
  await page.onTab(tap({ code: 'elderly' }))
  const after = wx.server.requests.slice(before)
  expect(after.map(r => r.path).sort()).toEqual(['/api/v1/map/clusters', '/api/v1/map/pois'])
  after.forEach(r => expect(r.query.category).toBe('elderly'))
  // Tapping the chosen tab again shows every category.
  await page.onTab(tap({ code: 'elderly' }))
  expect(page.data.category).toBe('')
})

test('without location the district centre is shown and the resident is told', async () => {
  const { wx, page } = await openMap({ locationError: 'getLocation:fail auth deny' })
  expect(page.data).toMatchObject({ located: false, longitude: 114.1315, latitude: 22.5482 })
  expect(wx.calls.showToast[0].title).toBe('未获得定位，显示罗湖区')
  expect(wx.server.calls('GET /api/v1/map/locate')).toHaveLength(0)
})

test('at city zoom the viewport loads server clusters; close in, points that join WeChat\'s clustering', async () => {
  const { wx, page } = await openMap()
  expect(wx.calls.initMarkerCluster).toHaveLength(1)
  const clusters = wx.server.calls('GET /api/v1/map/clusters')[0]
  expect(clusters.query).toEqual({ bbox: '114.100000,22.530000,114.160000,22.570000', zoom: '14', coord: 'gcj02' })
  expect(page.data.markers.map(m => m.id)).toEqual([87, 900000001])

  const region = { southwest: { longitude: 114.13, latitude: 22.54 }, northeast: { longitude: 114.14, latitude: 22.55 } }
  await page.onRegionChange({ type: 'end', detail: { causedBy: 'scale', region, scale: 16 } })
  const points = wx.server.calls('GET /api/v1/map/pois').pop()
  expect(points.query).toMatchObject({ bbox: '114.130000,22.540000,114.140000,22.550000', coord: 'gcj02', limit: '200' })
  expect(page.data.markers.map(m => [m.id, m.joinCluster])).toEqual([[31, true], [1, true]])
})

test('only the end of a move reloads, never the start or our own update', async () => {
  const { wx, page } = await openMap()
  const before = wx.server.requests.length
  await page.onRegionChange({ type: 'begin', detail: { causedBy: 'gesture' } })
  await page.onRegionChange({ type: 'end', detail: { causedBy: 'update' } })
  expect(wx.server.requests.length).toBe(before)
  await page.onRegionChange({ type: 'end', detail: { causedBy: 'drag' } })
  expect(wx.server.requests.length).toBe(before + 1)
})

test('an older viewport answer arriving late does not replace the newer one', async () => {
  const { wx, page } = await openMap()
  let release
  const late = new Promise(resolve => { release = resolve })
  wx.server.on('GET /api/v1/map/clusters', () => late.then(() => json(200, S.CLUSTERS)))
  const wide = { southwest: { longitude: 114.0, latitude: 22.5 }, northeast: { longitude: 114.2, latitude: 22.6 } }
  const close = { southwest: { longitude: 114.13, latitude: 22.54 }, northeast: { longitude: 114.14, latitude: 22.55 } }
  const first = page.loadViewport(wide, 12)
  await page.loadViewport(close, 16)
  expect(page.data.markers.map(m => m.id)).toEqual([31, 1])
  release()
  await first
  expect(page.data.markers.map(m => m.id)).toEqual([31, 1])
})

test('tapping a cluster zooms to where it splits; tapping a point opens its detail', async () => {
  const { wx, page } = await openMap()
  page.onMarkerTap({ detail: { markerId: 900000001 } })
  expect(page.data).toMatchObject({ longitude: 114.12241, latitude: 22.59464, scale: 16 })
  page.onMarkerTap({ detail: { markerId: 87 } })
  expect(wx.calls.navigateTo).toEqual([{ url: '/pages/map/poi?id=87' }])
  page.onCall({ detail: { phone: '0755-24919376' } })
  expect(wx.calls.makePhoneCall).toEqual([{ phoneNumber: '0755-24919376' }])
  await flush()
})
