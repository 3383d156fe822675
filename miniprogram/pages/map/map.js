// 地图: service points around the resident, by category, with the nearby list under the map.
// Everything is GCJ-02: wx.getLocation({type: 'gcj02'}), <map>, and coord=gcj02 on each API call.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const config = require('../../config')
const mapUtil = require('../../utils/map')
const care = require('../../utils/care')

const NEARBY_RADIUS_M = 3000
const NEARBY_LIMIT = 20
const VIEWPORT_LIMIT = 200

function locate() {
  return new Promise(resolve => {
    wx.getLocation({
      type: 'gcj02',
      success: res => resolve({ longitude: res.longitude, latitude: res.latitude, located: true }),
      fail: () => resolve(Object.assign({ located: false }, config.districtCenter)),
    })
  })
}

function promised(fn) {
  return new Promise((resolve, reject) => fn({ success: resolve, fail: reject }))
}

Page({
  data: {
    care: false,
    longitude: config.districtCenter.longitude,
    latitude: config.districtCenter.latitude,
    scale: 14,
    markers: [],
    tabs: [],
    category: '',
    nearby: [],
    located: false,
    where: '',
    total: 0,
  },
  markerIndex: {},
  viewportSeq: 0,
  me: null,

  onShow() {
    care.apply(this)
  },

  async onLoad() {
    const [tree, here] = await Promise.all([api.request(E.mapCategories).catch(() => []), locate()])
    this.me = here
    this.setData({ tabs: mapUtil.categoryTabs(tree), longitude: here.longitude, latitude: here.latitude, located: here.located })
    if (!here.located) wx.showToast({ title: `未获得定位，显示${config.districtName}`, icon: 'none' })
    await Promise.all([this.loadNearby(), this.loadWhere()])
  },

  onReady() {
    this.mapCtx = wx.createMapContext('map', this)
    // Points that overlap on screen merge into one numbered marker on the device (joinCluster).
    this.mapCtx.initMarkerCluster({ enableDefaultStyle: true, zoomOnClick: true, gridSize: 60 })
    return this.reloadViewport()
  },

  async loadWhere() {
    if (!this.me || !this.me.located) return
    const found = await api.request(E.mapLocate, { query: { lat: this.me.latitude, lon: this.me.longitude } }).catch(() => null)
    if (!found) return
    const names = found.divisions.filter(d => d.level !== 'district').map(d => d.name)
    this.setData({ where: names.reverse().join(' ') })
  },

  async loadNearby() {
    const here = this.me || config.districtCenter
    const answer = await api.request(E.mapPois, {
      query: { lat: here.latitude, lon: here.longitude, radius: NEARBY_RADIUS_M, category: this.data.category, limit: NEARBY_LIMIT },
    }).catch(() => null)
    if (answer) this.setData({ nearby: mapUtil.listItems(answer), total: answer.total })
  },

  async reloadViewport() {
    if (!this.mapCtx) return
    const [region, scale] = await Promise.all([promised(a => this.mapCtx.getRegion(a)), promised(a => this.mapCtx.getScale(a))])
    await this.loadViewport(region, scale.scale)
  },

  // Close in, single points; further out, the server's clusters (counts add up to the viewport's points).
  async loadViewport(region, scale) {
    const seq = ++this.viewportSeq
    const bbox = mapUtil.bboxOf(region)
    const zoom = mapUtil.zoomOf(scale)
    const category = this.data.category
    const answer = zoom >= mapUtil.POINTS_MIN_ZOOM
      ? await api.request(E.mapPois, { query: { bbox, category, limit: VIEWPORT_LIMIT } }).catch(() => null)
      : await api.request(E.mapClusters, { query: { bbox, zoom, category } }).catch(() => null)
    // A slower answer for an older viewport must not replace a newer one.
    if (!answer || seq !== this.viewportSeq) return
    const { markers, lookup } = mapUtil.markersFrom(answer)
    this.markerIndex = lookup
    this.setData({ markers })
  },

  onRegionChange(e) {
    // Only when the resident has finished moving; 'update' is our own setData moving the map.
    if (e.type !== 'end' || (e.detail && e.detail.causedBy === 'update')) return undefined
    const detail = e.detail || {}
    if (detail.region && detail.scale) return this.loadViewport(detail.region, detail.scale)
    return this.reloadViewport()
  },

  onMarkerTap(e) {
    const target = this.markerIndex[e.detail.markerId]
    if (!target) return
    if (target.kind === 'cluster') {
      this.setData({ longitude: target.longitude, latitude: target.latitude, scale: Math.max(target.expansionZoom, this.data.scale + 1) })
      return
    }
    wx.navigateTo({ url: `/pages/map/poi?id=${target.id}` })
  },

  onCalloutTap(e) {
    this.onMarkerTap(e)
  },

  async onTab(e) {
    const code = e.currentTarget.dataset.code || ''
    this.setData({ category: this.data.category === code ? '' : code })
    await Promise.all([this.loadNearby(), this.reloadViewport()])
  },

  onSelect(e) {
    wx.navigateTo({ url: `/pages/map/poi?id=${e.detail.id}` })
  },

  onCall(e) {
    wx.makePhoneCall({ phoneNumber: e.detail.phone })
  },

  async onRelocate() {
    this.me = await locate()
    this.setData({ longitude: this.me.longitude, latitude: this.me.latitude, located: this.me.located })
    await Promise.all([this.loadNearby(), this.loadWhere(), this.reloadViewport()])
  },
})
