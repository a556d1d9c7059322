/**
 * Where the engine looks for Vulkan (Linux): a system loader wins; a loader
 * shipped only with chromium goes on the worker's LD_LIBRARY_PATH (read only
 * at process start); with none, the reason names the package that brings it.
 */
import { describe, expect, it } from 'vitest';
import { missingVulkanLoaderReason, vulkanLaunchEnvironment, vulkanLoaderDir } from '../../../../main/engine/backend/vulkan';

const files = (...present: string[]) => (file: string) => present.includes(file);
const chromiumOnly = files('/usr/lib/chromium/libvulkan.so.1', '/usr/lib/chromium/vk_swiftshader_icd.json');

describe('Vulkan discovery', () => {
  it('finds a system loader, or one on LD_LIBRARY_PATH', () => {
    expect(vulkanLoaderDir({}, files('/usr/lib/x86_64-linux-gnu/libvulkan.so.1'))).toBe('/usr/lib/x86_64-linux-gnu');
    expect(vulkanLoaderDir({ LD_LIBRARY_PATH: '/opt/vk' }, files('/opt/vk/libvulkan.so.1'))).toBe('/opt/vk');
    expect(vulkanLoaderDir({}, files())).toBeNull();
  });

  it("puts chromium's loader on a worker's LD_LIBRARY_PATH only when the system has none", () => {
    expect(vulkanLaunchEnvironment({}, chromiumOnly, 'linux')).toEqual({ LD_LIBRARY_PATH: '/usr/lib/chromium' });
    expect(vulkanLaunchEnvironment({ LD_LIBRARY_PATH: '/a' }, chromiumOnly, 'linux')).toEqual({ LD_LIBRARY_PATH: '/usr/lib/chromium:/a' });
    expect(vulkanLaunchEnvironment({}, files('/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/chromium/libvulkan.so.1', '/usr/lib/chromium/vk_swiftshader_icd.json'), 'linux')).toEqual({});
    expect(vulkanLaunchEnvironment({}, files(), 'linux')).toEqual({});
    expect(vulkanLaunchEnvironment({}, chromiumOnly, 'darwin')).toEqual({});
  });

  it('says why Vulkan is missing and which package brings the loader', () => {
    expect(missingVulkanLoaderReason({}, files(), 'linux')).toMatch(/install libvulkan1 \(Debian\/Ubuntu\) or vulkan-loader \(Fedora\)/);
    expect(missingVulkanLoaderReason({}, chromiumOnly, 'linux')).toMatch(/LD_LIBRARY_PATH=\/usr\/lib\/chromium/);
    expect(missingVulkanLoaderReason({ LD_LIBRARY_PATH: '/usr/lib/chromium' }, chromiumOnly, 'linux')).toBeNull();
    expect(missingVulkanLoaderReason({}, files(), 'win32')).toBeNull();
  });
});
