/** The file utilities, by the name their `#!builtin <name>` binaries use. */
import type { Program } from '../../kernel/abi.js';
import { cat } from './cat.js';
import { cp } from './cp.js';
import { dd } from './dd.js';
import { echo } from './echo.js';
import { env } from './env.js';
import { grep } from './grep.js';
import { head } from './head.js';
import { ln } from './ln.js';
import { ls } from './ls.js';
import { mkdir } from './mkdir.js';
import { mv } from './mv.js';
import { pwd } from './pwd.js';
import { rm } from './rm.js';
import { rmdir } from './rmdir.js';
import { tail } from './tail.js';
import { bracket, test } from './test.js';
import { touch } from './touch.js';
import { falseProgram, trueProgram } from './truefalse.js';
import { wc } from './wc.js';

export const fileUtils: Record<string, Program> = {
  '[': bracket,
  cat,
  cp,
  dd,
  echo,
  env,
  false: falseProgram,
  grep,
  head,
  ln,
  ls,
  mkdir,
  mv,
  pwd,
  rm,
  rmdir,
  tail,
  test,
  touch,
  true: trueProgram,
  wc,
};
