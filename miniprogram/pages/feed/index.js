// 市民主页: documents and notices matching my subscriptions and my booking events, newest first,
// with read state. Opening an item marks it read; 全部已读 marks them all.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const time = require('../../utils/time')
const care = require('../../utils/care')

const KIND = { document: '公报', notice: '通知', booking: '预约' }
const PAGE_SIZE = 20

function row(item) {
  return { id: item.id, kind: item.kind, kindText: KIND[item.kind] || '', title: item.title, summary: item.summary,
    source: item.source, when: time.dateTime(item.published_at), read: item.read, page: item.page,
    why: item.matched_by.length ? '符合你的订阅' : '' }
}

Page({
  data: { care: false, items: [], next: null, unread: 0, loaded: false, loading: false },

  onShow() {
    care.apply(this)
    return this.load(false)
  },

  async load(more) {
    if (this.data.loading) return
    this.setData({ loading: true })
    const [page, count] = await Promise.all([
      api.request(E.feed, { query: { cursor: more ? this.data.next : null, limit: PAGE_SIZE } }).catch(() => null),
      more ? Promise.resolve(null) : api.request(E.feedUnreadCount).catch(() => null),
    ])
    this.setData({ loading: false })
    if (!page) return
    const rows = page.items.map(row)
    this.setData({ items: more ? this.data.items.concat(rows) : rows, next: page.next_cursor, loaded: true })
    if (count) this.setData({ unread: count.unread })
  },

  async onOpen(e) {
    const index = Number(e.currentTarget.dataset.index)
    const item = this.data.items[index]
    if (!item.read) {
      const marked = await api.request(E.feedRead, { data: { ids: [item.id] } }).catch(() => null)
      if (marked) this.setData({ [`items[${index}].read`]: true, unread: marked.unread })
    }
    // The server names the page that opens the item (the same link its WeChat messages carry).
    wx.navigateTo({ url: `/${item.page}` })
  },

  async onReadAll() {
    const marked = await api.request(E.feedReadAll).catch(() => null)
    if (!marked) return
    this.setData({ items: this.data.items.map(i => Object.assign({}, i, { read: true })), unread: marked.unread })
  },

  onReachBottom() {
    return this.data.next ? this.load(true) : undefined
  },

  async onPullDownRefresh() {
    await this.load(false)
    wx.stopPullDownRefresh()
  },

  toSubscriptions() {
    wx.navigateTo({ url: '/pages/feed/subscriptions' })
  },
})
