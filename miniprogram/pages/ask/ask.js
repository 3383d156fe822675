// 问一问 (also 我的's 投诉建议): type a question, see the 一号答 answers as you type, open one; when none
// helps, write a letter to the district. Also the way to 我的留言 and to published replies.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')

const DEBOUNCE_MS = 300 // one suggestion request per pause in typing, not one per keystroke
const MIN_CHARS = 2

Page({
  data: { care: false, q: '', suggestions: [], searched: false },

  onShow() {
    care.apply(this)
  },

  onUnload() {
    clearTimeout(this.timer)
  },

  onInput(e) {
    const q = e.detail.value
    this.setData({ q })
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.suggest(q.trim()), DEBOUNCE_MS)
  },

  async suggest(q) {
    this.asked = (this.asked || 0) + 1
    const mine = this.asked
    if (q.length < MIN_CHARS) return this.setData({ suggestions: [], searched: false })
    const found = await api.request(E.questionSuggest, { query: { q, limit: 5 } }).catch(() => null)
    // An answer to an older text that arrives late must not replace the newer one.
    if (!found || mine !== this.asked) return undefined
    return this.setData({ suggestions: found.items, searched: true })
  },

  onAnswer(e) {
    wx.navigateTo({ url: `/pages/ask/answer?id=${e.currentTarget.dataset.id}` })
  },

  onWrite() {
    wx.navigateTo({ url: `/pages/letters/write?title=${encodeURIComponent(this.data.q.trim())}` })
  },

  toMine() {
    wx.navigateTo({ url: '/pages/letters/mine' })
  },

  toPublic() {
    wx.navigateTo({ url: '/pages/letters/public' })
  },
})
