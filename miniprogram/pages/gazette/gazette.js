// 公报: the issues of the district government gazette by year, and the way into search.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')

function yearsOf(issues) {
  return [...new Set(issues.map(i => i.year))].sort((a, b) => b - a)
}

Page({
  data: { care: false, years: [], year: 0, issues: [], q: '' },

  onShow() {
    care.apply(this)
  },

  async onLoad() {
    const issues = await api.request(E.gazetteIssues).catch(() => [])
    const years = yearsOf(issues)
    this.setData({ years, year: years[0] || 0, issues: issues.filter(i => i.year === years[0]) })
  },

  async onYear(e) {
    const year = Number(e.currentTarget.dataset.year)
    this.setData({ year })
    const issues = await api.request(E.gazetteIssues, { query: { year } }).catch(() => null)
    if (issues) this.setData({ issues })
  },

  onIssue(e) {
    wx.navigateTo({ url: `/pages/gazette/issue?id=${e.currentTarget.dataset.id}` })
  },

  onInput(e) {
    this.setData({ q: e.detail.value })
  },

  onSearch() {
    wx.navigateTo({ url: `/pages/gazette/search?q=${encodeURIComponent(this.data.q.trim())}` })
  },
})
