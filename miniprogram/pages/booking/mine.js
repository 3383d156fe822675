// 我的预约: my bookings, latest first, filtered by status.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const time = require('../../utils/time')
const format = require('../../utils/format')
const care = require('../../utils/care')

const FILTERS = [
  { key: 'all', name: '全部', status: [] },
  { key: 'active', name: '待办理', status: ['booked', 'checked_in', 'serving'] },
  { key: 'done', name: '已办结', status: ['completed'] },
  { key: 'closed', name: '已取消/爽约', status: ['cancelled', 'no_show'] },
]

/** A completed booking says whether it is rated (with its score) or still waits for a rating. */
function ratingNote(b) {
  if (b.rating) return `已评价${b.rating.score}星`
  return format.awaitsRating(b) ? '待评价' : ''
}

function row(b) {
  const day = time.dayLabel(b.slot.date)
  const when = `${day.label} ${day.weekday} ${time.timeRange(b.slot.start, b.slot.end)}`
  const statusText = format.bookingStatus(b.status)
  const rating = ratingNote(b)
  return { id: b.id, service: b.service.name, hall: b.hall.name, status: b.status, statusText, when, rating,
    aria: [b.service.name, when, statusText, rating].filter(Boolean).join(' ') }
}

Page({
  data: { care: false, filters: FILTERS, filter: 'all', items: [], loaded: false },

  onShow() {
    care.apply(this)
    return this.load()
  },

  async load() {
    const filter = FILTERS.find(f => f.key === this.data.filter)
    const items = await api.request(E.bookings, { query: { status: filter.status } }).catch(() => null)
    if (items) this.setData({ items: items.map(row), loaded: true })
  },

  onFilter(e) {
    this.setData({ filter: e.currentTarget.dataset.key })
    return this.load()
  },

  onOpen(e) {
    wx.navigateTo({ url: `/pages/booking/detail?id=${e.currentTarget.dataset.id}` })
  },

  async onPullDownRefresh() {
    await this.load()
    wx.stopPullDownRefresh()
  },
})
