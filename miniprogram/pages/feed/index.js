// 市民主页: documents and notices matching my subscriptions and my booking events, newest first,
// with read state. Opening an item marks it read; 全部已读 marks them all. 消息提醒 asks WeChat's consent to be
// messaged about new items: a one-time template allows one message per consent, a long-term one until turned off.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const time = require('../../utils/time')
const care = require('../../utils/care')
const subscribe = require('../../utils/subscribe')

const KIND = { document: '公报', notice: '通知', booking: '预约' }
const PAGE_SIZE = 20
const ANSWERED = {
  long_term: '已开启消息提醒',
  one_time: '下一条新内容会发消息提醒你',
}

function row(item) {
  return { id: item.id, kind: item.kind, kindText: KIND[item.kind] || '', title: item.title, summary: item.summary,
    source: item.source, when: time.dateTime(item.published_at), read: item.read, page: item.page,
    why: item.matched_by.length ? '符合你的订阅' : '' }
}

Page({
  data: { care: false, items: [], next: null, unread: 0, loaded: false, loading: false, notifyKind: '' },
  templates: null,

  async onShow() {
    care.apply(this)
    await Promise.all([this.load(false), this.loadTemplates()])
  },

  async loadTemplates() {
    if (this.templates) return
    this.templates = await subscribe.loadTemplates().catch(() => null)
    // The 消息提醒 tap shows only when the server has a template to ask for.
    if (this.templates) this.setData({ notifyKind: subscribe.kindOf(this.templates, subscribe.FEED_PURPOSES[0]) })
  },

  // From the 消息提醒 tap: WeChat shows the consent dialog only for a tap, so it is asked before anything else.
  async onNotifyMe() {
    const ids = subscribe.templateIds(this.templates, subscribe.FEED_PURPOSES)
    const results = await subscribe.ask(ids)
    if (!Object.keys(results).length) return
    const recorded = await subscribe.record(results).then(() => true).catch(() => false)
    if (!recorded) return
    const accepted = results[ids[0]] === 'accept'
    wx.showToast({ title: accepted ? ANSWERED[this.data.notifyKind] : '未开启提醒，新内容仍会显示在这里', icon: 'none' })
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
