// 我的: login, phone binding, and the ways into the feed, subscriptions, bookings, favourites,
// the enterprise homepage, privacy and account deletion.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const session = require('../../utils/session')
const care = require('../../utils/care')

Page({
  data: { care: false, careFollows: true, user: null, unread: 0 },

  onShow() {
    care.apply(this)
    this.setData({ careFollows: !care.choice() })
    const user = session.user()
    this.setData({ user })
    return user ? this.refresh() : undefined
  },

  async refresh() {
    const [user, count] = await Promise.all([
      api.request(E.me).catch(() => null),
      api.request(E.feedUnreadCount).catch(() => null),
    ])
    if (user) {
      session.setUser(user)
      this.setData({ user })
    }
    if (count) this.setData({ unread: count.unread })
  },

  async onLogin() {
    const user = await api.login().catch(() => null)
    if (!user) return
    this.setData({ user })
    await this.refresh()
  },

  // <button open-type="getPhoneNumber">: WeChat hands a one-time code that the server exchanges.
  async onPhone(e) {
    const code = e.detail && e.detail.code
    if (!code) {
      wx.showToast({ title: '未授权手机号', icon: 'none' })
      return
    }
    const user = await api.request(E.authPhone, { data: { code } }).catch(() => null)
    if (!user) return
    session.setUser(user)
    this.setData({ user })
    wx.showToast({ title: '手机号已绑定', icon: 'success' })
  },

  async onLogout() {
    await api.request(E.logout).catch(() => null)
    session.clear()
    this.setData({ user: null, unread: 0 })
    wx.removeTabBarBadge({ index: 3 })
  },

  // The 关怀模式 switch: the resident's choice is kept and wins over WeChat's font size from now on.
  onCare(e) {
    const on = care.choose(e.detail.value ? 'on' : 'off')
    this.setData({ care: on, careFollows: false })
    care.paintBars(on)
  },

  onCareFollow() {
    const on = care.choose('')
    this.setData({ care: on, careFollows: true })
    care.paintBars(on)
  },

  go(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url })
  },
})
