// 我的留言: my letters, newest first, a page at a time.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')
const letters = require('../../utils/letters')

const PAGE = 20

Page({
  data: { care: false, items: [], next: null, loaded: false },

  onShow() {
    care.apply(this)
    return this.load()
  },

  async load() {
    const page = await api.request(E.myLetters, { query: { limit: PAGE } }).catch(() => null)
    if (page) this.setData({ items: page.items.map(letters.letter), next: page.next_cursor, loaded: true })
  },

  async onReachBottom() {
    if (!this.data.next) return
    const page = await api.request(E.myLetters, { query: { limit: PAGE, cursor: this.data.next } }).catch(() => null)
    if (page) this.setData({ items: this.data.items.concat(page.items.map(letters.letter)), next: page.next_cursor })
  },

  async onPullDownRefresh() {
    await this.load()
    wx.stopPullDownRefresh()
  },

  onOpen(e) {
    wx.navigateTo({ url: `/pages/letters/detail?id=${e.currentTarget.dataset.id}` })
  },

  onWrite() {
    wx.navigateTo({ url: '/pages/ask/ask' })
  },
})
