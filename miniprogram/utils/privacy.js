// 已收集个人信息清单 and 第三方共享清单 (what is collected and why; with whom it is shared), shown in 我的,
// and the privacy interfaces the code calls. GUIDE must match the 用户隐私保护指引 filled in on
// mp.weixin.qq.com (设置 - 服务内容声明): WeChat refuses a privacy interface the guide does not declare.
// tests/unit/privacy.test.js holds the code to GUIDE and GUIDE to COLLECTED.

/** Privacy interfaces (WeChat's list of 隐私接口) this mini-program calls, with the guide's item for each. */
const GUIDE = [
  { api: 'wx.getLocation', info: '位置信息', purpose: '查找附近的学校、医院、养老和政务服务点' },
  { api: 'open-type="getPhoneNumber"', info: '手机号', purpose: '绑定手机号，用于登录和接收办事提醒' },
  { api: 'wx.setClipboardData', info: '剪切板', purpose: '复制预约码、企业邀请码（只写入，不读取剪切板）' },
  { api: 'wx.chooseLocation', info: '选择的位置信息', purpose: '写留言时标明问题发生的地点（选填）' },
  { api: 'wx.chooseMedia', info: '选中的照片或视频信息', purpose: '写留言时附上现场照片（选填）' },
]

/** 已收集个人信息清单: each item, why it is collected, and how it is kept. */
const COLLECTED = [
  { info: '微信身份标识（openid）', purpose: '登录，识别你的账号', kept: '注销账号时删除' },
  { info: '手机号', purpose: '经你授权后绑定，用于登录和接收办事提醒', kept: '加密保存，页面只显示打码后的号码；注销时删除' },
  { info: '位置信息', purpose: '打开服务地图时查找附近的服务点', kept: '不保存你的实时位置；你设置的常住地点可随时修改或删除' },
  { info: '姓名、身份证号码、手机号（实名预约）', purpose: '预约办事和窗口核验', kept: '加密保存，不出现在网址或日志中；注销时删除（预约规则所需的身份证摘要按隐私说明保留至期满）' },
  { info: '预约、签到和评价记录', purpose: '办理预约、排队叫号和服务评价（好差评）', kept: '注销时删除其中的个人信息' },
  { info: '订阅、收藏和阅读记录', purpose: '推送相关政策和通知、显示未读数', kept: '可随时修改或删除；注销时删除' },
  { info: '企业信息（企业名称、统一社会信用代码、成员）', purpose: '企业认证和企业主页', kept: '退出企业或注销时删除你的成员身份' },
  { info: '剪切板', purpose: '复制预约码、企业邀请码', kept: '只写入，不读取，不保存' },
  { info: '选择的位置信息（留言地点）', purpose: '写留言时标明问题发生的地点，供承办部门处理', kept: '随留言保存；注销时删除' },
  { info: '选中的照片或视频信息（留言照片）', purpose: '写留言时附上现场照片，供承办部门处理', kept: '随留言保存，只有你和承办人员能看到' },
  { info: '留言内容和联系电话', purpose: '向区里反映问题、接收答复和评价', kept: '电话加密保存，页面只显示打码后的号码；注销时删除电话，公开答复须经你同意并隐去个人信息' },
]

/** 第三方共享清单: who receives what, and why. */
const SHARED = [
  { party: '微信（深圳市腾讯计算机系统有限公司）', info: '微信登录凭证、openid', purpose: '微信登录' },
  { party: '微信（深圳市腾讯计算机系统有限公司）', info: 'openid、预约和订阅通知的内容', purpose: '发送你同意接收的订阅消息（办事提醒、政策通知）' },
  { party: '微信（深圳市腾讯计算机系统有限公司）', info: '手机号授权凭证', purpose: '经你授权后获取手机号' },
  { party: '微信（深圳市腾讯计算机系统有限公司）', info: '留言的文字和照片', purpose: '内容安全检测（微信对用户发布内容的要求）' },
]

module.exports = { GUIDE, COLLECTED, SHARED }
