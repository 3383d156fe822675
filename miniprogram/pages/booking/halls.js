// 预约: the service halls that take bookings; pick one to book a service item there.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')

Page({
  data: { care: false, halls: [], loaded: false },
  onShow() {
    care.apply(this)
  },

  async onLoad() {
    const halls = await api.request(E.halls).catch(() => [])
    this.setData({ halls: halls.filter(h => h.is_active), loaded: true })
  },
  onHall(e) {
    wx.navigateTo({ url: `/pages/booking/booking?hall_id=${e.currentTarget.dataset.id}` })
  },
  toMyBookings() {
    wx.navigateTo({ url: '/pages/booking/mine' })
  },
})
