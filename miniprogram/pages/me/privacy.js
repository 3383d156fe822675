// 隐私说明: what the mini-program collects and why, WeChat's privacy consent (when asked through
// wx.onNeedPrivacyAuthorization), and account deletion (PIPL: DELETE /api/v1/me erases my data).
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const session = require('../../utils/session')
const care = require('../../utils/care')

Page({
  data: { care: false, asking: false, loggedIn: false, deleting: false },

  onLoad(options) {
    this.setData({ asking: options.ask === '1' })
  },

  onShow() {
    care.apply(this)
    this.setData({ loggedIn: Boolean(session.token()) })
  },

  answer(event) {
    const app = getApp()
    const resolve = app.globalData.privacyResolve
    app.globalData.privacyResolve = null
    if (resolve) resolve(event === 'agree' ? { buttonId: 'agree-btn', event: 'agree' } : { event: 'disagree' })
    this.setData({ asking: false })
    wx.navigateBack({ delta: 1 })
  },

  // <button id="agree-btn" open-type="agreePrivacyAuthorization">: WeChat records the consent itself.
  onAgree() {
    this.answer('agree')
  },

  onDisagree() {
    this.answer('disagree')
  },

  go(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url })
  },

  onContract() {
    if (typeof wx.openPrivacyContract === 'function') wx.openPrivacyContract({})
  },

  onDelete() {
    return new Promise(resolve => {
      wx.showModal({
        title: '注销账号',
        content: '注销后，你的订阅、收藏、阅读记录、手机号和预约中的个人信息将被删除，且无法恢复（预约规则所需的身份证摘要按隐私说明保留至期满）。确定注销吗？',
        confirmText: '确定注销',
        confirmColor: '#e54d42',
        success: res => resolve(res.confirm ? this.deleteAccount() : null),
      })
    })
  },

  async deleteAccount() {
    this.setData({ deleting: true })
    const done = await api.request(E.deleteMe).catch(() => null)
    this.setData({ deleting: false })
    if (!done) return
    // Nothing of the person stays on the phone either: session, reading preferences.
    wx.clearStorageSync()
    wx.showToast({ title: '账号已注销', icon: 'success' })
    wx.reLaunch({ url: '/pages/index/index' })
  },
})
