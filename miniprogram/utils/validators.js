// Input checks for the real-name form, the same rules as the server's server/pii.py:
// 居民身份证 (GB 11643: region, birth date, check character), mainland mobile numbers and
// 统一社会信用代码 (GB 32100). The server checks again; these only spare a round trip.

const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 81, 82, 83])
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'
const CHINA_OFFSET_MS = 8 * 3600 * 1000

// Full-width digits and letters typed on phone keyboards become ASCII, as the server does with NFKC.
function clean(raw) {
  const text = String(raw === undefined || raw === null ? '' : raw)
  return (typeof text.normalize === 'function' ? text.normalize('NFKC') : text).trim().toUpperCase()
}

function chinaToday(now) {
  const d = new Date(now + CHINA_OFFSET_MS)
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() }
}

function validBirthDate(value, now) {
  const y = Number(value.slice(6, 10))
  const m = Number(value.slice(10, 12))
  const d = Number(value.slice(12, 14))
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false
  const today = chinaToday(now)
  return y >= 1900 && y * 10000 + m * 100 + d <= today.y * 10000 + today.m * 100 + today.d
}

/** Check a 身份证 number: {ok, value (18 characters, upper-case X), message}. */
function checkIdNumber(raw, now = Date.now()) {
  const value = clean(raw)
  if (value.length !== 18) return { ok: false, value, message: '身份证号码应为18位' }
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, value, message: '身份证号码应为17位数字加1位数字或X' }
  if (!PROVINCES.has(Number(value.slice(0, 2)))) return { ok: false, value, message: '身份证号码的地区码无效' }
  if (!validBirthDate(value, now)) return { ok: false, value, message: '身份证号码中的出生日期无效' }
  let total = 0
  for (let i = 0; i < 17; i += 1) total += Number(value[i]) * ID_WEIGHTS[i]
  if (ID_CHECK[total % 11] !== value[17]) return { ok: false, value, message: '身份证号码校验位不正确，请检查是否输错' }
  return { ok: true, value, message: '' }
}

/** Check a mainland mobile number (+86, spaces and dashes allowed): {ok, value (11 digits), message}. */
function checkPhone(raw) {
  const compact = clean(raw).replace(/[\s-]/g, '')
  const match = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(compact)
  if (!match) return { ok: false, value: compact, message: '请输入11位手机号码' }
  return { ok: true, value: match[1], message: '' }
}

/** Check a person's name for the real-name form: {ok, value, message}. */
function checkName(raw) {
  const value = clean(raw)
  if (!value) return { ok: false, value, message: '请填写姓名' }
  if (value.length > 50) return { ok: false, value, message: '姓名不能超过50个字' }
  return { ok: true, value, message: '' }
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const CREDIT_TYPES = { 1: '1239', 2: '19', 3: '123459', 4: '19', 5: '1239', 6: '129', 7: '129', 8: '19', 9: '123', A: '19', N: '1239', Y: '1' }

/** Check a 统一社会信用代码: {ok, value, message}. */
function checkCreditCode(raw) {
  const value = clean(raw)
  if (value.length !== 18) return { ok: false, value, message: '统一社会信用代码应为18位' }
  if ([...value].some(c => !CREDIT_ALPHABET.includes(c))) {
    return { ok: false, value, message: '统一社会信用代码含有无效字符（不使用I、O、S、V、Z）' }
  }
  if (!(CREDIT_TYPES[value[0]] || '').includes(value[1])) {
    return { ok: false, value, message: '统一社会信用代码的登记管理部门或机构类别无效' }
  }
  let total = 0
  for (let i = 0; i < 17; i += 1) total += CREDIT_ALPHABET.indexOf(value[i]) * CREDIT_WEIGHTS[i]
  // The check character brings the weighted sum to a multiple of 31.
  if (CREDIT_ALPHABET[(31 - (total % 31)) % 31] !== value[17]) {
    return { ok: false, value, message: '统一社会信用代码校验位不正确，请检查是否输错' }
  }
  return { ok: true, value, message: '' }
}

module.exports = { checkIdNumber, checkPhone, checkName, checkCreditCode }
