/**
 * Where Dawn (the `webgpu` package) finds Vulkan on Linux: the loader
 * (libvulkan.so.1) and the drivers it may load. Pure lookups over the file
 * system, so the probe, the engine and the process launcher agree.
 *
 * Two facts shape this module:
 * - The dynamic linker reads LD_LIBRARY_PATH once, when the process starts; a
 *   loader found only in Debian chromium's folder (/usr/lib/chromium) can
 *   therefore be used only by a process started with that variable, which is
 *   what `vulkanLaunchEnvironment` gives the training worker.
 * - The Vulkan loader reads VK_ICD_FILENAMES each time an instance is created,
 *   so the engine can point it at a software driver from inside the process
 *   after a first look for a hardware adapter found none.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A software Vulkan driver the engine may use when forced to webgpu and nothing else exists. */
export interface SoftwareVulkanDriver {
  name: string;
  /** the driver's ICD manifest (VK_ICD_FILENAMES) */
  icd: string;
  /** a folder holding a Vulkan loader shipped with the driver, or null */
  loaderDir: string | null;
  /** the Debian package that brings it */
  debianPackage: string;
}

const chromiumDir = '/usr/lib/chromium';

/**
 * Software drivers, in the order tried. Debian 12's lavapipe (mesa 22.3) is
 * not listed: Dawn rejects it ("Vulkan shaderUniform*ArrayDynamicIndexing
 * required"), measured on this machine.
 */
export const softwareVulkanDrivers: readonly SoftwareVulkanDriver[] = [
  { name: 'SwiftShader (Debian chromium)', icd: path.join(chromiumDir, 'vk_swiftshader_icd.json'), loaderDir: chromiumDir, debianPackage: 'chromium' },
];

const loaderName = 'libvulkan.so.1';

/** Folders the dynamic linker searches by default for libvulkan.so.1 (Debian/Ubuntu, Fedora, others). */
const systemLibraryDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib64', '/usr/local/lib'];

export type FileExists = (file: string) => boolean;

/** The folder of the Vulkan loader this process can load, or null (Linux only; elsewhere the OS brings its own API). */
export function vulkanLoaderDir(env: NodeJS.ProcessEnv = process.env, exists: FileExists = existsSync): string | null {
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...systemLibraryDirs];
  return dirs.find((dir) => exists(path.join(dir, loaderName))) ?? null;
}

/** Software drivers installed here, each with whether this process (its loader) can use it. */
export function installedSoftwareDrivers(exists: FileExists = existsSync): SoftwareVulkanDriver[] {
  return softwareVulkanDrivers.filter((d) => exists(d.icd));
}

/**
 * Environment additions for a worker process that may run webgpu: when no
 * system Vulkan loader exists but a software driver ships one (chromium),
 * its folder goes on LD_LIBRARY_PATH so Dawn can load it. Nothing otherwise.
 * Linux only.
 */
export function vulkanLaunchEnvironment(env: NodeJS.ProcessEnv = process.env, exists: FileExists = existsSync, platform: string = process.platform): NodeJS.ProcessEnv {
  if (platform !== 'linux' || vulkanLoaderDir(env, exists)) return {};
  const withLoader = installedSoftwareDrivers(exists).find((d) => d.loaderDir && exists(path.join(d.loaderDir, loaderName)));
  if (!withLoader?.loaderDir) return {};
  const current = env.LD_LIBRARY_PATH ? `:${env.LD_LIBRARY_PATH}` : '';
  return { LD_LIBRARY_PATH: `${withLoader.loaderDir}${current}` };
}

/** Why this process cannot use Vulkan at all, or null. Names the package that brings the loader. */
export function missingVulkanLoaderReason(env: NodeJS.ProcessEnv = process.env, exists: FileExists = existsSync, platform: string = process.platform): string | null {
  if (platform !== 'linux' || vulkanLoaderDir(env, exists)) return null;
  const shipped = installedSoftwareDrivers(exists).find((d) => d.loaderDir && exists(path.join(d.loaderDir, loaderName)));
  if (shipped) return `no Vulkan loader on the library path (install libvulkan1, or start the process with LD_LIBRARY_PATH=${shipped.loaderDir}, as the app does for its training process)`;
  return 'no Vulkan loader (libvulkan.so.1): install libvulkan1 (Debian/Ubuntu) or vulkan-loader (Fedora), and the GPU vendor\'s Vulkan driver';
}
