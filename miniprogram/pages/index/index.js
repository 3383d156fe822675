// 首页: search across the map and the gazette, entries to each service, the feed's unread count.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const mapUtil = require('../../utils/map')
const care = require('../../utils/care')

const ME_TAB = 3

Page({
  data: {
    care: false,
    q: '',
    searched: false,
    places: [],
    documents: [],
    unread: 0,
  },
  onShow() {
    care.apply(this)
    return this.loadUnread()
  },
  async loadUnread() {
    const answer = await api.request(E.feedUnreadCount).catch(() => null)
    if (!answer) return
    const unread = answer.unread || 0
    this.setData({ unread })
    if (unread > 0) wx.setTabBarBadge({ index: ME_TAB, text: unread > 99 ? '99+' : String(unread) })
    else wx.removeTabBarBadge({ index: ME_TAB })
  },
  onInput(e) {
    this.setData({ q: e.detail.value })
  },
  async onSearch() {
    const q = this.data.q.trim()
    if (!q) return
    const [places, found] = await Promise.all([
      api.request(E.mapPois, { query: { q, limit: 5 } }).catch(() => ({ features: [] })),
      api.request(E.gazetteSearch, { query: { q, limit: 5 } }).catch(() => ({ items: [] })),
    ])
    this.setData({ searched: true, places: mapUtil.listItems(places), documents: found.items })
  },
  onPlace(e) {
    wx.navigateTo({ url: `/pages/map/poi?id=${e.detail.id}` })
  },
  onDocument(e) {
    wx.navigateTo({ url: `/pages/gazette/reader/reader?id=${e.currentTarget.dataset.id}` })
  },
  onMoreDocuments() {
    wx.navigateTo({ url: `/pages/gazette/search?q=${encodeURIComponent(this.data.q.trim())}` })
  },
  toMap() {
    wx.switchTab({ url: '/pages/map/map' })
  },
  toBooking() {
    wx.navigateTo({ url: '/pages/booking/halls' })
  },
  toGazette() {
    wx.switchTab({ url: '/pages/gazette/gazette' })
  },
  toSubscriptions() {
    wx.navigateTo({ url: '/pages/feed/subscriptions' })
  },
  toAsk() {
    wx.navigateTo({ url: '/pages/ask/ask' })
  },
  toFeed() {
    wx.navigateTo({ url: '/pages/feed/index' })
  },
})
