// 已收集个人信息清单 (?list=collected) and 第三方共享清单 (?list=shared), one tap from 我的.
const privacy = require('../../utils/privacy')
const care = require('../../utils/care')

const LISTS = {
  collected: { title: '已收集个人信息清单', rows: () => privacy.COLLECTED.map(r => ({ head: r.info, lines: [`用途：${r.purpose}`, `保存：${r.kept}`] })) },
  shared: { title: '第三方共享清单', rows: () => privacy.SHARED.map(r => ({ head: r.party, lines: [`共享信息：${r.info}`, `用途：${r.purpose}`] })) },
}

Page({
  data: { title: '', rows: [], care: false },

  onShow() {
    care.apply(this)
  },

  onLoad(options) {
    const list = LISTS[options.list] || LISTS.collected
    this.setData({ title: list.title, rows: list.rows() })
    wx.setNavigationBarTitle({ title: list.title })
  },
})
