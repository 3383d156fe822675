// Gazette search: highlighted titles and snippets, facet filters with counts (each counted under the
// other filters, so a reader can switch within one), sort, keyset paging, and suggestions while typing.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')

const FACETS = [
  { key: 'agency', name: '发布机构' },
  { key: 'topic', name: '主题分类' },
  { key: 'doc_type', name: '文种' },
  { key: 'disclosure', name: '五公开' },
  { key: 'year', name: '年份' },
]
const SORTS = [{ key: 'relevance', name: '相关度' }, { key: 'newest', name: '最新' }, { key: 'oldest', name: '最早' }]
const PAGE_SIZE = 20
const SUGGEST_DELAY_MS = 300

function emptyFilters() {
  return { agency: [], topic: [], doc_type: [], disclosure: [], year: [] }
}

function facetGroups(facets, filters) {
  return FACETS.filter(f => (facets[f.key] || []).length).map(f => ({
    key: f.key,
    name: f.name,
    values: facets[f.key].map(v => ({ value: v.value, label: v.label, count: v.count, on: filters[f.key].includes(v.value) })),
  }))
}

Page({
  data: { care: false, q: '', sort: 'relevance', sorts: SORTS, filters: emptyFilters(), groups: [], items: [], total: 0, next: null,
    loading: false, searched: false, suggestions: null },

  onShow() {
    care.apply(this)
  },

  onLoad(options) {
    const q = options.q ? decodeURIComponent(options.q) : ''
    this.setData({ q })
    return this.search()
  },

  async search(more) {
    const f = this.data.filters
    this.setData({ loading: true, suggestions: null })
    const page = await api.request(E.gazetteSearch, {
      query: { q: this.data.q.trim(), agency: f.agency, topic: f.topic, doc_type: f.doc_type, disclosure: f.disclosure,
        year: f.year, sort: this.data.q.trim() ? this.data.sort : 'newest', limit: PAGE_SIZE, cursor: more ? this.data.next : null },
    }).catch(() => null)
    this.setData({ loading: false })
    if (!page) return
    this.setData({
      items: more ? this.data.items.concat(page.items) : page.items,
      total: page.total,
      next: page.next_cursor,
      groups: facetGroups(page.facets, f),
      searched: true,
    })
  },

  onInput(e) {
    const q = e.detail.value
    this.setData({ q })
    clearTimeout(this.suggestTimer)
    if (!q.trim()) {
      this.setData({ suggestions: null })
      return
    }
    this.suggestTimer = setTimeout(() => this.suggest(q.trim()), SUGGEST_DELAY_MS)
  },

  async suggest(q) {
    const found = await api.request(E.gazetteSuggest, { query: { q } }).catch(() => null)
    // Only if the box still holds what was asked about.
    if (found && this.data.q.trim() === q) this.setData({ suggestions: found })
  },

  onSearch() {
    clearTimeout(this.suggestTimer)
    return this.search()
  },

  onTerm(e) {
    this.setData({ q: e.currentTarget.dataset.term })
    return this.search()
  },

  onFacet(e) {
    const { facet, value } = e.currentTarget.dataset
    const chosen = this.data.filters[facet]
    const next = chosen.includes(String(value)) ? chosen.filter(v => v !== String(value)) : chosen.concat(String(value))
    this.setData({ [`filters.${facet}`]: next })
    return this.search()
  },

  onClearFilters() {
    this.setData({ filters: emptyFilters() })
    return this.search()
  },

  onSort(e) {
    this.setData({ sort: e.currentTarget.dataset.sort })
    return this.search()
  },

  onReachBottom() {
    if (this.data.next && !this.data.loading) return this.search(true)
    return undefined
  },

  onOpen(e) {
    wx.navigateTo({ url: `/pages/gazette/reader/reader?id=${e.currentTarget.dataset.id}` })
  },
})
