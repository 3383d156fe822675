// A service point: address, phone, open now and hours, navigation, and 预约 for bookable halls.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const hours = require('../../utils/hours')
const time = require('../../utils/time')
const care = require('../../utils/care')

Page({
  data: { care: false, poi: null, rows: [], today: '', next: '', divisions: '' },

  onShow() {
    care.apply(this)
  },

  async onLoad(options) {
    this.poiId = Number(options.id)
    const poi = await api.request(E.mapPoi, { path: { poi_id: this.poiId } }).catch(() => null)
    if (!poi) return
    const p = poi.properties
    const today = time.chinaToday()
    this.poi = poi
    wx.setNavigationBarTitle({ title: p.name })
    this.setData({
      poi: { id: poi.id, name: p.name, category: p.category_name, address: p.address, phone: p.phone, status: p.status,
        openNow: p.open_now, bookable: Boolean(p.bookable && p.hall_id), hallId: p.hall_id,
        accessible: Boolean(p.accessibility && p.accessibility.wheelchair) },
      rows: hours.weeklyRows(p.opening_hours),
      today: hours.todayText(p.opening_hours, today),
      next: hours.nextChangeText(p.next_change, today),
      divisions: p.divisions.map(d => d.name).reverse().join(' · '),
    })
  },

  onCall() {
    wx.makePhoneCall({ phoneNumber: this.data.poi.phone })
  },

  onNavigate() {
    // The detail came with coord=gcj02, which is what wx.openLocation expects.
    const [longitude, latitude] = this.poi.geometry.coordinates
    wx.openLocation({ longitude, latitude, name: this.data.poi.name, address: this.data.poi.address, scale: 17 })
  },

  onBook() {
    wx.navigateTo({ url: `/pages/booking/booking?hall_id=${this.data.poi.hallId}` })
  },
})
