// 关怀模式 (care mode) for older residents: larger text, taller touch targets, darker secondary text.
// On when the resident turns it on in 我的, or, unless they turned it off there, when WeChat's own font size
// (我 - 设置 - 通用 - 字体大小) is larger than standard. Pages put `care` on their root view's class; app.wxss
// does the rest through inherited custom properties, so components follow without a property of their own.

const KEY = 'care_mode' // 'on' | 'off'; missing: follow WeChat's font size
const STANDARD_FONT_PX = 17 // fontSizeSetting at WeChat's standard size
const CARE_ACCENT = '#0958d9' // app.wxss --c-accent in care mode: 4.5:1 or more under white text
const NORMAL_ACCENT = '#1677ff' // app.json's navigation bar and selected tab

function baseInfo() {
  try {
    if (typeof wx.getAppBaseInfo === 'function') return wx.getAppBaseInfo() || {}
    return wx.getSystemInfoSync() || {}
  } catch (err) {
    return {}
  }
}

/** WeChat's font size is set larger than standard (fontSizeScaleFactor on newer clients, fontSizeSetting in px). */
function wechatFontLarge(info = baseInfo()) {
  if (Number(info.fontSizeScaleFactor) > 1) return true
  return Number(info.fontSizeSetting) > STANDARD_FONT_PX
}

/** The resident's own choice in 我的: 'on', 'off' or '' (follow WeChat). */
function choice() {
  const stored = wx.getStorageSync(KEY)
  return stored === 'on' || stored === 'off' ? stored : ''
}

function isOn() {
  const chosen = choice()
  return chosen ? chosen === 'on' : wechatFontLarge()
}

/** Remember the resident's choice ('on' or 'off'; anything else goes back to following WeChat). */
function choose(value) {
  if (value === 'on' || value === 'off') wx.setStorageSync(KEY, value)
  else wx.removeStorageSync(KEY)
  return isOn()
}

/** The native bars' blue: app.json's in the normal look, the darker one (4.5:1 with white) in care mode. */
function paintBars(on) {
  const blue = on ? CARE_ACCENT : NORMAL_ACCENT
  if (typeof wx.setNavigationBarColor === 'function') {
    wx.setNavigationBarColor({ frontColor: '#ffffff', backgroundColor: blue, fail: () => null })
  }
  if (typeof wx.setTabBarStyle === 'function') wx.setTabBarStyle({ selectedColor: blue, fail: () => null })
}

/** From a page's onShow: set `care` on the page, and darken the native bars in care mode. */
function apply(page) {
  const on = isOn()
  if (page.data.care !== on) page.setData({ care: on })
  if (on) paintBars(true)
  return on
}

module.exports = { isOn, choose, choice, apply, paintBars, wechatFontLarge, KEY, CARE_ACCENT, NORMAL_ACCENT }
