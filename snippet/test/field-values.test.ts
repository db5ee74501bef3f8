// @vitest-environment happy-dom
import { beforeEach, describe, expect, test } from 'vitest';
import { readField } from '../fields.ts';

const form = () => document.querySelector('form')!;

beforeEach(() => {
  document.body.innerHTML = `
    <form>
      <input name="name" value="Ann">
      <input type="email" name="email" value="ann@example.com">
      <input type="tel" name="phone" value="+7 900 000-00-00">
      <input type="hidden" name="hidden" value="h">
      <textarea name="comment">Call me</textarea>
      <select name="city"><option value="">Pick</option><option value="msk" selected>Moscow</option></select>
      <select name="tags" multiple><option value="a" selected>A</option><option value="b">B</option><option value="c" selected>C</option></select>
      <input type="radio" name="size" value="S"><input type="radio" name="size" value="M" checked>
      <input type="checkbox" name="opts" value="x" checked><input type="checkbox" name="opts" value="y"><input type="checkbox" name="opts" value="z" checked>
      <input type="password" name="password" value="secret">
      <input type="file" name="upload">
      <input name="empty" value="">
      <button name="plan" value="pro">Buy pro</button>
      <button name="plan" value="free">Free</button>
    </form>
    <input name="outside" form="" value="no">
    <input name="attached" value="yes" form="f">`;
  form().id = 'f';
});

describe('readField', () => {
  test('text-like inputs, textarea and hidden inputs give their value', () => {
    expect(readField(form(), 'name')).toBe('Ann');
    expect(readField(form(), 'email')).toBe('ann@example.com');
    expect(readField(form(), 'phone')).toBe('+7 900 000-00-00');
    expect(readField(form(), 'comment')).toBe('Call me');
    expect(readField(form(), 'hidden')).toBe('h');
  });

  test('a select gives the selected value; a multiple select joins them with ", "', () => {
    expect(readField(form(), 'city')).toBe('msk');
    expect(readField(form(), 'tags')).toBe('a, c');
  });

  test('the checked radio and the checked checkboxes (joined)', () => {
    expect(readField(form(), 'size')).toBe('M');
    expect(readField(form(), 'opts')).toBe('x, z');
  });

  test('password and file inputs are never read', () => {
    expect(readField(form(), 'password')).toBe('');
    expect(readField(form(), 'upload')).toBe('');
  });

  test('a missing or empty control is an empty value', () => {
    expect(readField(form(), 'nope')).toBe('');
    expect(readField(form(), 'empty')).toBe('');
  });

  test('buttons count only as the submitter', () => {
    expect(readField(form(), 'plan')).toBe('');
    const free = form().querySelectorAll('button')[1]!;
    expect(readField(form(), 'plan', free)).toBe('free');
  });

  test('a control attached with form="id" belongs to the form; other page controls do not', () => {
    expect(readField(form(), 'attached')).toBe('yes');
    expect(readField(form(), 'outside')).toBe('');
  });

  test('a value set through the DOM property (framework style) is read, not the attribute', () => {
    const input = form().querySelector<HTMLInputElement>('[name=name]')!;
    input.value = 'Set by React';
    expect(readField(form(), 'name')).toBe('Set by React');
  });

  test('a container that is not a form reads the controls inside it', () => {
    document.body.innerHTML = '<div id="box"><input name="phone" value="123"><input type="checkbox" name="c" value="1" checked></div>';
    const box = document.getElementById('box')!;
    expect(readField(box, 'phone')).toBe('123');
    expect(readField(box, 'c')).toBe('1');
  });
});
