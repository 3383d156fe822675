// One issue of the gazette: its table of contents by section.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')

Page({
  data: { care: false, issue: null },

  onShow() {
    care.apply(this)
  },

  async onLoad(options) {
    const issue = await api.request(E.gazetteIssue, { path: { issue_id: Number(options.id) } }).catch(() => null)
    if (!issue) return
    wx.setNavigationBarTitle({ title: `${issue.year}年第${issue.number}期` })
    this.setData({ issue })
  },

  onDocument(e) {
    wx.navigateTo({ url: `/pages/gazette/reader/reader?id=${e.currentTarget.dataset.id}` })
  },
})
