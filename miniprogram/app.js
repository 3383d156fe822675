// The mini-program: nothing talks to the server at launch; the first page that needs a login gets one
// silently through utils/api.js. Privacy consent follows WeChat's 隐私保护指引 flow.

App({
  globalData: {
    // Set by wx.onNeedPrivacyAuthorization; the privacy page calls it with the resident's answer.
    privacyResolve: null,
  },
  onLaunch() {
    if (typeof wx.onNeedPrivacyAuthorization === 'function') {
      wx.onNeedPrivacyAuthorization(resolve => {
        this.globalData.privacyResolve = resolve
        wx.navigateTo({ url: '/pages/me/privacy?ask=1' })
      })
    }
  },
})
