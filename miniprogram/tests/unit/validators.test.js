const { checkIdNumber, checkPhone, checkName, checkCreditCode } = require('../../utils/validators')

// GB 11643-1999's check character, computed the way the standard states it:
// weights W_i = 2^(17-i) mod 11 and check = (12 - (Σ a_i·W_i mod 11)) mod 11, 10 written as X.
function withCheckCharacter(first17) {
  let sum = 0
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (2 ** (17 - i) % 11)
  const check = (12 - (sum % 11)) % 11
  return first17 + (check === 10 ? 'X' : String(check))
}

const NOW = Date.UTC(2026, 10, 30, 4, 0) // 2026-11-30 12:00 in China

describe('身份证 (GB 11643)', () => {
  test('the standard\'s own example is valid', () => {
    expect(checkIdNumber('11010519491231002X', NOW)).toEqual({ ok: true, value: '11010519491231002X', message: '' })
  })

  test.each(['44030319800101123', '44030319921231004', '11010120000229888', '32010619650715321', '81000019990909999'])(
    'numbers generated with the standard\'s formula pass (%s)', first17 => {
    const id = withCheckCharacter(first17)
    expect(checkIdNumber(id, NOW).ok).toBe(true)
  })

  test('a lower-case x and full-width characters typed on a phone are normalised', () => {
    expect(checkIdNumber(' 11010519491231002x ', NOW).value).toBe('11010519491231002X')
    expect(checkIdNumber('１１０１０５１９４９１２３１００２Ｘ', NOW)).toMatchObject({ ok: true, value: '11010519491231002X' })
  })

  test('one wrong digit is caught by the check character', () => {
    const id = withCheckCharacter('44030319800101123')
    const typo = `${id.slice(0, 16)}${(Number(id[16]) + 1) % 10}${id[17]}`
    expect(checkIdNumber(typo, NOW)).toMatchObject({ ok: false, message: '身份证号码校验位不正确，请检查是否输错' })
  })

  test('impossible or future birth dates are refused', () => {
    expect(checkIdNumber(withCheckCharacter('44030320230230123'), NOW).message).toBe('身份证号码中的出生日期无效')
    expect(checkIdNumber(withCheckCharacter('44030318991231123'), NOW).message).toBe('身份证号码中的出生日期无效')
    // Born tomorrow, China time, is not possible today.
    expect(checkIdNumber(withCheckCharacter('44030320261201123'), NOW).ok).toBe(false)
    expect(checkIdNumber(withCheckCharacter('44030320261130123'), NOW).ok).toBe(true)
  })

  test('length, characters and region are checked with the server\'s messages', () => {
    expect(checkIdNumber('4403031980010112', NOW).message).toBe('身份证号码应为18位')
    expect(checkIdNumber('4403031980010112A5', NOW).message).toBe('身份证号码应为17位数字加1位数字或X')
    expect(checkIdNumber(withCheckCharacter('99030319800101123'), NOW).message).toBe('身份证号码的地区码无效')
    expect(checkIdNumber('', NOW).ok).toBe(false)
  })
})

describe('mobile numbers', () => {
  test.each([
    ['13800138000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['008619912345678', '19912345678'],
    ['１３８００１３８０００', '13800138000'],
  ])('%s is the mainland mobile %s', (raw, value) => {
    expect(checkPhone(raw)).toEqual({ ok: true, value, message: '' })
  })

  test.each(['12800138000', '1380013800', '138001380001', '0755-25666345', ''])('%s is refused', raw => {
    expect(checkPhone(raw).ok).toBe(false)
  })
})

describe('names and 统一社会信用代码', () => {
  test('a name is required and at most 50 characters', () => {
    expect(checkName('  张三 ')).toEqual({ ok: true, value: '张三', message: '' })
    expect(checkName('').message).toBe('请填写姓名')
    expect(checkName('张'.repeat(51)).ok).toBe(false)
  })

  test('GB 32100\'s example code is valid and a changed check character is not', () => {
    expect(checkCreditCode('91350100M000100Y43')).toEqual({ ok: true, value: '91350100M000100Y43', message: '' })
    expect(checkCreditCode('91350100m000100y43').value).toBe('91350100M000100Y43')
    expect(checkCreditCode('91350100M000100Y44').message).toBe('统一社会信用代码校验位不正确，请检查是否输错')
    expect(checkCreditCode('91350100M000100I43').message).toBe('统一社会信用代码含有无效字符（不使用I、O、S、V、Z）')
    expect(checkCreditCode('9135').ok).toBe(false)
  })
})
