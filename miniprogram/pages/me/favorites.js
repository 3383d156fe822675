// 收藏与浏览记录: favourite gazette documents and the reading history with the position reached.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const time = require('../../utils/time')
const care = require('../../utils/care')

const TABS = [{ key: 'favorites', name: '我的收藏' }, { key: 'history', name: '浏览记录' }]

function row(item) {
  const doc = item.document
  const at = item.favorited_at || item.last_read_at
  return { id: doc.id, title: doc.title, withdrawn: doc.status === 'withdrawn', at: at ? time.dateTime(at) : '',
    progress: item.position === null || item.position === undefined ? '' : `读到 ${Math.round(item.position * 100)}%` }
}

Page({
  data: { care: false, tabs: TABS, tab: 'favorites', items: [], next: null, loaded: false },

  onShow() {
    care.apply(this)
    return this.load(false)
  },

  async load(more) {
    const cursor = more ? this.data.next : null
    const page = this.data.tab === 'favorites'
      ? await api.request(E.myFavorites, { query: { cursor } }).catch(() => null)
      : await api.request(E.myHistory, { query: { cursor } }).catch(() => null)
    if (!page) return
    const rows = page.items.map(row)
    this.setData({ items: more ? this.data.items.concat(rows) : rows, next: page.next_cursor, loaded: true })
  },

  onTab(e) {
    this.setData({ tab: e.currentTarget.dataset.key, items: [], next: null })
    return this.load(false)
  },

  onReachBottom() {
    return this.data.next ? this.load(true) : undefined
  },

  onOpen(e) {
    wx.navigateTo({ url: `/pages/gazette/reader/reader?id=${e.currentTarget.dataset.id}` })
  },
})
