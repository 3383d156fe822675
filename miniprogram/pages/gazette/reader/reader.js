// The gazette reader: the body as <rich-text> nodes at the reader's font size, favourite,
// interpretations (政策解读) both ways, related services with a booking shortcut, previous and next,
// and the reading position remembered for logged-in readers.
const api = require('../../../utils/api')
const E = require('../../../utils/endpoints')
const session = require('../../../utils/session')
const care = require('../../../utils/care')

const FONT_KEY = 'bianmin.fontLevel'
const DEFAULT_LEVEL = 1

// ?id=42 from the app's own links and pushed messages; ?scene=d%3D42 from the document's mini-program code.
function documentId(options) {
  if (options.id) return Number(options.id)
  const scene = decodeURIComponent(options.scene || '')
  const match = /(?:^|&)d=(\d+)/.exec(scene)
  return match ? Number(match[1]) : 0
}

Page({
  data: { care: false, doc: null, withdrawn: null, level: DEFAULT_LEVEL, favorited: false },
  scrollTop: 0,
  height: 0,

  onShow() {
    care.apply(this)
  },

  async onLoad(options) {
    this.docId = documentId(options)
    const stored = wx.getStorageSync(FONT_KEY)
    this.setData({ level: stored === '' ? DEFAULT_LEVEL : Number(stored) })
    const doc = await api.request(E.gazetteDocument, { path: { document_id: this.docId } }).catch(() => null)
    if (!doc) return
    if (doc.status === 'withdrawn') {
      this.setData({ withdrawn: doc })
      return
    }
    wx.setNavigationBarTitle({ title: doc.doc_number || '公报文件' })
    // Measured once the body is on screen: setData's callback runs after rendering.
    this.setData({ doc, favorited: doc.favorited }, () => this.measure(doc.reading_position))
  },

  measure(position) {
    wx.createSelectorQuery().select('#document').boundingClientRect().exec(res => {
      const rect = res && res[0]
      if (!rect) return
      this.height = rect.height
      const room = this.height - wx.getSystemInfoSync().windowHeight
      if (position && room > 0) wx.pageScrollTo({ scrollTop: Math.round(position * room), duration: 0 })
    })
  },

  onPageScroll(e) {
    this.scrollTop = e.scrollTop
  },

  position() {
    const room = this.height - wx.getSystemInfoSync().windowHeight
    if (room <= 0) return 1
    return Math.min(Math.max(this.scrollTop / room, 0), 1)
  },

  // Remember where a logged-in reader stopped; anonymous readers are not made to log in for it.
  saveReadingPosition() {
    if (!this.data.doc || !this.height || !session.token()) return Promise.resolve(null)
    return api.request(E.readingPosition, {
      path: { document_id: this.docId },
      data: { position: Number(this.position().toFixed(3)) },
    }).catch(() => null)
  },

  onHide() {
    return this.saveReadingPosition()
  },

  onUnload() {
    return this.saveReadingPosition()
  },

  onFontSize(e) {
    wx.setStorageSync(FONT_KEY, e.detail.level)
    this.setData({ level: e.detail.level })
  },

  async onFavorite() {
    const favorited = this.data.favorited
    const answer = favorited
      ? await api.request(E.unfavorite, { path: { document_id: this.docId } }).then(() => ({ favorited: false })).catch(() => null)
      : await api.request(E.favorite, { path: { document_id: this.docId } }).catch(() => null)
    if (!answer) return
    this.setData({ favorited: answer.favorited })
    wx.showToast({ title: answer.favorited ? '已收藏' : '已取消收藏', icon: 'none' })
  },

  onOpenDocument(e) {
    wx.navigateTo({ url: `/pages/gazette/reader/reader?id=${e.currentTarget.dataset.id}` })
  },

  onBookService(e) {
    const { hall, service } = e.currentTarget.dataset
    wx.navigateTo({ url: `/pages/booking/booking?hall_id=${hall}&service_id=${service}` })
  },

  async onAttachment(e) {
    const filePath = await api.download(E.gazetteAttachment, { path: { attachment_id: Number(e.currentTarget.dataset.id) } }).catch(() => '')
    if (filePath) wx.openDocument({ filePath, showMenu: true })
  },

  onShareAppMessage() {
    const doc = this.data.doc || this.data.withdrawn
    return { title: doc ? doc.title : '政府公报', path: `/pages/gazette/reader/reader?id=${this.docId}` }
  },
})
