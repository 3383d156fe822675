// Privacy: every privacy interface the code calls is declared, 我的 reaches both lists in one tap,
// and the README describes the tabs app.json has.
const fs = require('fs')
const path = require('path')
const privacy = require('../../utils/privacy')
const { createWx } = require('../fake-wx')
const { loadPage, tap } = require('../page-harness')

const ROOT = path.join(__dirname, '..', '..')
const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'))

// WeChat's 隐私接口 (privacy interfaces that the privacy guide must declare), as calls and button open-types.
const PRIVACY_APIS = ['getLocation', 'getFuzzyLocation', 'chooseLocation', 'choosePoi', 'startLocationUpdate',
  'startLocationUpdateBackground', 'onLocationChange', 'setClipboardData', 'getClipboardData', 'chooseImage',
  'chooseMedia', 'chooseVideo', 'chooseMessageFile', 'saveImageToPhotosAlbum', 'saveVideoToPhotosAlbum',
  'getUserProfile', 'getUserInfo', 'chooseAddress', 'chooseInvoiceTitle', 'chooseInvoice', 'getWeRunData',
  'startRecord', 'getRecorderManager', 'createCameraContext', 'createVKSession', 'addPhoneContact',
  'addPhoneCalendar', 'addPhoneRepeatCalendar', 'chooseLicensePlate', 'openBluetoothAdapter',
  'createBLEPeripheralServer', 'startWifi', 'getNFCAdapter', 'shareFileMessage', 'shareVideoMessage']
const PRIVACY_OPEN_TYPES = ['getPhoneNumber', 'getRealtimePhoneNumber', 'chooseAvatar', 'getUserInfo']

function sources(dir = ROOT, out = []) {
  fs.readdirSync(dir, { withFileTypes: true }).forEach(e => {
    if (['node_modules', 'tests', 'scripts'].includes(e.name)) return
    const full = path.join(dir, e.name)
    if (e.isDirectory()) sources(full, out)
    else if (/\.(js|wxml)$/.test(e.name) && !full.endsWith(path.join('utils', 'privacy.js'))) out.push(full)
  })
  return out
}

function calledPrivacyInterfaces() {
  const found = new Set()
  sources().forEach(file => {
    const text = fs.readFileSync(file, 'utf8')
    PRIVACY_APIS.forEach(name => { if (new RegExp(`wx\\.${name}\\b`).test(text)) found.add(`wx.${name}`) })
    PRIVACY_OPEN_TYPES.forEach(name => { if (text.includes(`open-type="${name}"`)) found.add(`open-type="${name}"`) })
  })
  return [...found].sort()
}

test('every privacy interface the code calls is in the privacy guide, the clipboard too, and nothing else is', () => {
  const called = calledPrivacyInterfaces()
  expect(called).toContain('wx.setClipboardData')
  expect(called).toEqual(privacy.GUIDE.map(g => g.api).sort())
  privacy.GUIDE.forEach(g => expect(g.purpose).toMatch(/[\u4e00-\u9fff]{4,}/))
})

test('app.json asks WeChat to check privacy consent and declares the location interfaces it uses', () => {
  expect(app.__usePrivacyCheck__).toBe(true)
  const location = calledPrivacyInterfaces().filter(a => /Location|Poi/.test(a)).map(a => a.replace('wx.', ''))
  expect(app.requiredPrivateInfos.sort()).toEqual(location.sort())
})

test('what the guide declares is on the 已收集个人信息清单, each with its purpose', () => {
  const collected = privacy.COLLECTED.map(c => c.info)
  privacy.GUIDE.forEach(g => expect(collected.some(info => info.startsWith(g.info))).toBe(true))
  privacy.COLLECTED.forEach(c => {
    expect(c.purpose).toMatch(/[\u4e00-\u9fff]{4,}/)
    expect(c.kept).toMatch(/[\u4e00-\u9fff]{2,}/)
  })
})

test('我的 opens the 已收集个人信息清单 and the 第三方共享清单 in one tap each', () => {
  const wxml = fs.readFileSync(path.join(ROOT, 'pages/me/me.wxml'), 'utf8')
  const rows = [...wxml.matchAll(/data-url="([^"]+)"[^>]*bindtap="go"[^>]*>\s*<text[^>]*>([^<]+)</g)]
    .map(([, url, label]) => ({ url, label }))
  const collected = rows.find(r => r.label === '已收集个人信息清单')
  const shared = rows.find(r => r.label === '第三方共享清单')
  expect(collected.url).toBe('/pages/me/privacy-list?list=collected')
  expect(shared.url).toBe('/pages/me/privacy-list?list=shared')
  expect(app.pages).toContain('pages/me/privacy-list')

  const wx = createWx()
  const me = loadPage('pages/me/me', { wx })
  me.go(tap({ url: collected.url }))
  expect(wx.calls.navigateTo).toEqual([{ url: '/pages/me/privacy-list?list=collected' }])

  const list = loadPage('pages/me/privacy-list', { wx })
  list.onLoad({ list: 'collected' })
  expect(list.data.title).toBe('已收集个人信息清单')
  const heads = list.data.rows.map(r => r.head)
  expect(heads).toEqual(expect.arrayContaining(['手机号', '位置信息', '剪切板', '姓名、身份证号码、手机号（实名预约）']))
  expect(list.data.rows.every(r => r.lines[0].startsWith('用途：'))).toBe(true)

  const other = loadPage('pages/me/privacy-list', { wx })
  other.onLoad({ list: 'shared' })
  expect(other.data.title).toBe('第三方共享清单')
  const purposes = other.data.rows.filter(r => r.head.startsWith('微信')).map(r => r.lines[1]).join('')
  expect(purposes).toMatch(/微信登录/)
  expect(purposes).toMatch(/订阅消息/)
})

test('the README lists the tabs that app.json has', () => {
  const readme = fs.readFileSync(path.join(ROOT, '..', 'README.md'), 'utf8')
  const tabs = readme.match(/`miniprogram\/` is the residents'\s+side \(tabs ([^;)]+)[;)]/)[1].split(/,\s*/)
  expect(tabs).toEqual(app.tabBar.list.map(t => t.text))
})
