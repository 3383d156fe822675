// 公开答复: replies published with their writers' consent (personal data removed), searchable by everyone.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')

const PAGE = 20

Page({
  data: { care: false, q: '', items: [], next: null, loaded: false },

  onShow() {
    care.apply(this)
  },

  onLoad() {
    return this.search()
  },

  onInput(e) {
    this.setData({ q: e.detail.value })
  },

  async search() {
    const page = await api.request(E.publicLetters, { query: { q: this.data.q.trim(), limit: PAGE } }).catch(() => null)
    if (page) this.setData({ items: page.items, next: page.next_cursor, loaded: true })
  },

  async onReachBottom() {
    if (!this.data.next) return
    const page = await api.request(E.publicLetters, { query: { q: this.data.q.trim(), limit: PAGE, cursor: this.data.next } })
      .catch(() => null)
    if (page) this.setData({ items: this.data.items.concat(page.items), next: page.next_cursor })
  },

  onOpen(e) {
    wx.navigateTo({ url: `/pages/letters/reply?id=${e.currentTarget.dataset.id}` })
  },
})
