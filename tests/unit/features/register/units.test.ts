/**
 * The unit normaliser: every way a register or a person writes a unit comes out in one form,
 * and what cannot be read with certainty is refused rather than guessed.
 */
import { describe, expect, it } from 'vitest';
import { normalizeUnit } from '../../../../src/domain/residents/verification.ts';
import { buildingOf, canonicalUnit, compareUnits, parseUnit, unitFromCells } from '../../../../src/domain/register/units.ts';

describe('parseUnit (one address cell)', () => {
  const same: [string, string][] = [
    ['3栋2单元501', '3栋-2单元-501'],
    ['3-2-501', '3栋-2单元-501'],
    ['3幢2单元501室', '3栋-2单元-501'],
    ['３栋２单元５０１', '3栋-2单元-501'],
    ['３－２－５０１', '3栋-2单元-501'],
    ['3栋 2单元 501', '3栋-2单元-501'],
    ['3栋-2单元-501', '3栋-2单元-501'],
    ['3号楼2单元501', '3栋-2单元-501'],
    ['3#2单元501', '3栋-2单元-501'],
    ['三栋二单元501', '3栋-2单元-501'],
    ['十二栋一单元1203', '12栋-1单元-1203'],
    ['二十一幢3单元302', '21栋-3单元-302'],
    ['03栋02单元0501', '3栋-2单元-501'],
    ['3/2/501', '3栋-2单元-501'],
    ['3—2—501', '3栋-2单元-501'],
    [' 3 - 2 - 501 ', '3栋-2单元-501'],
    ['3栋2单元501号', '3栋-2单元-501'],
  ];
  for (const [raw, unit] of same) it(`reads "${raw}" as ${unit}`, () => expect(canonicalUnit(raw)).toBe(unit));

  it('reads buildings without entrances', () => {
    expect(canonicalUnit('12栋1203')).toBe('12栋-1203');
    expect(canonicalUnit('12栋-1203')).toBe('12栋-1203');
    expect(canonicalUnit('3-501')).toBe('3栋-501');
  });

  it('reads lettered buildings, entrances and rooms', () => {
    expect(canonicalUnit('A座1201')).toBe('A栋-1201');
    expect(canonicalUnit('b座1201')).toBe('B栋-1201');
    expect(canonicalUnit('10A栋2单元301')).toBe('10A栋-2单元-301');
    expect(canonicalUnit('3栋A单元501')).toBe('3栋-A单元-501');
    expect(canonicalUnit('3栋2单元501A')).toBe('3栋-2单元-501A');
    expect(canonicalUnit('B1栋1201')).toBe('B1栋-1201');
  });

  it('keeps the compound name of a community with several compounds', () => {
    expect(parseUnit('阳光花园3栋2单元501')).toEqual({ building: '阳光花园3栋', entrance: '2单元', room: '501', unit: '阳光花园3栋-2单元-501' });
    expect(canonicalUnit('阳光花园 3栋 2单元 501')).toBe('阳光花园3栋-2单元-501');
    expect(canonicalUnit('金域蓝湾A座1201')).toBe('金域蓝湾A栋-1201');
    expect(canonicalUnit('二期3栋501')).toBe('二期3栋-501');
  });

  it('refuses what it cannot read with certainty', () => {
    for (const raw of ['', '501', '3楼501', '32单元501', '3栋', '综合楼', '东街12号院', '3栋2单元', 'abc', '3-2-501-1', '3栋-2单元-501室东']) {
      expect({ raw, unit: canonicalUnit(raw) }).toEqual({ raw, unit: null });
    }
  });

  it('refuses a label longer than 40 characters', () => {
    expect(canonicalUnit(`${'很长的小区名字'.repeat(6)}3栋2单元501`)).toBeNull();
  });
});

describe('unitFromCells (楼栋 / 单元 / 房号 columns)', () => {
  it('reads the usual ways of filling the three columns', () => {
    expect(unitFromCells({ building: '3', entrance: '2', room: '501' })).toMatchObject({ unit: '3栋-2单元-501' });
    expect(unitFromCells({ building: '3栋', entrance: '2单元', room: '501室' })).toMatchObject({ unit: '3栋-2单元-501' });
    expect(unitFromCells({ building: '3号楼', entrance: '二单元', room: '501' })).toMatchObject({ unit: '3栋-2单元-501' });
    expect(unitFromCells({ building: '３幢', entrance: '２', room: '５０１' })).toMatchObject({ unit: '3栋-2单元-501' });
    expect(unitFromCells({ building: '3楼', entrance: '', room: '501' })).toMatchObject({ unit: '3栋-501' });
    expect(unitFromCells({ building: 'A座', room: '1201' })).toMatchObject({ unit: 'A栋-1201', building: 'A栋', entrance: null });
  });

  it('keeps a named building as written, and puts a compound in front', () => {
    expect(unitFromCells({ building: '综合楼', room: '201' })).toMatchObject({ unit: '综合楼-201', building: '综合楼' });
    expect(unitFromCells({ compound: '阳光花园', building: '3', entrance: '2', room: '501' })).toMatchObject({ unit: '阳光花园3栋-2单元-501', building: '阳光花园3栋' });
    expect(unitFromCells({ compound: '阳光花园', building: '阳光花园3栋', entrance: '2', room: '501' })).toMatchObject({ unit: '阳光花园3栋-2单元-501' });
  });

  it('names the cell it cannot read', () => {
    expect(unitFromCells({ building: '3栋2单元', room: '501' })).toEqual({ problem: 'building' });
    expect(unitFromCells({ building: '3', entrance: '二楼', room: '501' })).toEqual({ problem: 'entrance' });
    expect(unitFromCells({ building: '3', entrance: '2', room: '五零一' })).toEqual({ problem: 'room' });
    expect(unitFromCells({ building: '3', entrance: '2', room: '' })).toEqual({ problem: 'room' });
    expect(unitFromCells({ building: '', room: '501' })).toEqual({ problem: 'building' });
  });

  it('gives the same label as the one-cell form', () => {
    const cells = unitFromCells({ building: '3', entrance: '2', room: '501' });
    expect('unit' in cells && cells.unit).toBe(canonicalUnit('3栋2单元501'));
  });
});

describe('typed units and ordering', () => {
  it('normalises typed code units to the register form, and keeps other labels readable', () => {
    expect(normalizeUnit('5栋 1单元 302')).toBe('5栋-1单元-302');
    expect(normalizeUnit('5-1-302')).toBe('5栋-1单元-302');
    expect(normalizeUnit('5栋-1单元-302')).toBe('5栋-1单元-302');
    expect(normalizeUnit('A座 商铺 12')).toBe('A座-商铺-12');
  });

  it('finds the building of a label and orders units naturally', () => {
    expect(buildingOf('3栋-2单元-501')).toBe('3栋');
    expect(['10栋-1单元-101', '2栋-1单元-1201', '2栋-1单元-301'].sort(compareUnits)).toEqual(['2栋-1单元-301', '2栋-1单元-1201', '10栋-1单元-101']);
  });
});
