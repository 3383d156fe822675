// The hall's live queue: now serving per window, people waiting, the next numbers; refreshed while shown.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')

const REFRESH_MS = 15000

Page({
  data: { care: false, queue: null, ticket: '', ahead: -1 },

  onLoad(options) {
    this.hallId = Number(options.hall_id)
    this.setData({ ticket: options.ticket || '' })
  },

  onShow() {
    care.apply(this)
    this.timer = setInterval(() => this.load(), REFRESH_MS)
    return this.load()
  },

  onHide() {
    clearInterval(this.timer)
  },

  onUnload() {
    clearInterval(this.timer)
  },

  async load() {
    const queue = await api.request(E.hallQueue, { path: { hall_id: this.hallId } }).catch(() => null)
    if (!queue) return
    const ahead = this.data.ticket ? queue.next.indexOf(this.data.ticket) : -1
    this.setData({ queue, ahead })
  },

  onPullDownRefresh() {
    return this.load().then(() => wx.stopPullDownRefresh())
  },
})
