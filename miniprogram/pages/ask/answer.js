// One 一号答 answer: read it, say whether it solved the question; when it did not, write a letter that
// carries the "not solved" vote (ask_id), so the question counts once in the direct-answer rate.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')

Page({
  data: { care: false, entry: null, voted: '', askId: null },

  onShow() {
    care.apply(this)
  },

  async onLoad(options) {
    this.id = Number(options.id)
    const entry = await api.request(E.questionAnswer, { path: { entry_id: this.id } }).catch(() => null)
    if (entry) this.setData({ entry })
  },

  onSolved() {
    return this.vote(true)
  },

  onNotSolved() {
    return this.vote(false)
  },

  async vote(solved) {
    const answer = await api.request(E.questionFeedback, { path: { entry_id: this.id }, data: { solved } }).catch(() => null)
    if (answer) this.setData({ voted: answer.outcome, askId: answer.ask_id })
  },

  onWrite() {
    const entry = this.data.entry
    const category = entry.category ? entry.category.value : ''
    wx.navigateTo({ url: `/pages/letters/write?ask_id=${this.data.askId}&category=${encodeURIComponent(category)}` })
  },
})
