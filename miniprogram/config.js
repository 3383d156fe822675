// The one place that says which server and which mini-program this build talks to.
// project.config.json repeats the AppID because WeChat DevTools reads it there; a test keeps the two equal.
module.exports = {
  // Same value as the server's BIANMIN_WECHAT_APPID. The placeholder opens in DevTools as a test account.
  appId: 'wx0000000000000000',
  // The bianmin server. For a server on this computer, tick DevTools' 详情 → 本地设置 → 不校验合法域名;
  // a release build needs an https domain registered as a request domain (request合法域名).
  baseUrl: 'http://127.0.0.1:8000',
  // Where the map opens when the resident refuses location (GCJ-02, the demo district: 罗湖区).
  districtCenter: { longitude: 114.1315, latitude: 22.5482 },
  districtName: '罗湖区',
}
