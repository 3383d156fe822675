// One of my letters: where it stands, every step, its photos, the reply, and the rating form (满意 / 基本满意 /
// 不满意) only while the reply can be rated; 不满意 sends it back to the department once.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')
const letters = require('../../utils/letters')

Page({
  data: { care: false, letter: null, created: false, photos: [], ratings: letters.RATINGS, rating: '' },

  onShow() {
    care.apply(this)
  },

  async onLoad(options) {
    this.id = Number(options.id)
    this.setData({ created: options.created === '1' })
    const letter = await api.request(E.myLetter, { path: { letter_id: this.id } }).catch(() => null)
    if (letter) await this.show(letter)
  },

  async show(letter) {
    this.setData({ letter: letters.letter(letter), rating: '' })
    // Photos need the login: downloaded with the token, then shown from the temporary files.
    const paths = []
    for (const id of letter.photos || []) {
      const path = await api.download(E.letterPhoto, { path: { photo_id: id } }).catch(() => null)
      if (path) paths.push(path)
    }
    this.setData({ photos: paths })
  },

  onPreview(e) {
    wx.previewImage({ current: e.currentTarget.dataset.src, urls: this.data.photos })
  },

  onRating(e) {
    this.setData({ rating: e.currentTarget.dataset.value })
  },

  async onRate() {
    if (!this.data.rating) {
      wx.showToast({ title: '请选择满意程度', icon: 'none' })
      return
    }
    const letter = await api.request(E.rateLetter, { path: { letter_id: this.id }, data: { rating: this.data.rating } })
      .catch(() => null)
    if (!letter) return
    wx.showToast({ title: letter.status === 'closed' ? '感谢你的评价' : '已转回部门重新办理', icon: 'none' })
    await this.show(letter)
  },
})
